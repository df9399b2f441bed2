package compression

import (
	"math/big"
	"strconv"
)

// alphabet is the URI-safe base64 alphabet of the compressed segment, 6 bits
// per character (prototype safeBase64Alphabet; RFC 4648 base64url).
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// alphabetIndex maps a byte to 1 + its value in alphabet (0: not in it).
var alphabetIndex [256]uint8

func init() {
	for i := 0; i < len(alphabet); i++ {
		alphabetIndex[alphabet[i]] = uint8(i + 1)
	}
}

// bitReader reads big-endian bit fields from a segment of base64url
// characters (6 bits each), checked beforehand.
type bitReader struct {
	seg string
	pos int // next bit
	n   int // total bits
}

// left is the number of unread bits.
func (r *bitReader) left() int { return r.n - r.pos }

// read returns the next n bits (n <= 64) as a number, or false when fewer are
// left (the position is then unchanged).
func (r *bitReader) read(n int) (uint64, bool) {
	if n < 0 || n > 64 || n > r.n-r.pos {
		return 0, false
	}
	var v uint64
	for n > 0 {
		off := r.pos % 6
		avail := 6 - off
		take := min(avail, n)
		c := uint64(alphabetIndex[r.seg[r.pos/6]] - 1)
		v = v<<take | (c>>(avail-take))&(1<<take-1)
		r.pos += take
		n -= take
	}
	return v, true
}

// bitWriter appends big-endian bit fields.
type bitWriter struct {
	buf []byte
	n   int // bits written
}

// write appends the low n bits of v (n <= 64).
func (w *bitWriter) write(v uint64, n int) {
	for n > 0 {
		off := w.n & 7
		if off == 0 {
			w.buf = append(w.buf, 0)
		}
		space := 8 - off
		take := min(space, n)
		chunk := byte(v>>(n-take)) & (1<<take - 1)
		w.buf[len(w.buf)-1] |= chunk << (space - take)
		w.n += take
		n -= take
	}
}

// segment pads the bits with zeros to a multiple of 6 and returns them as
// base64url characters.
func (w *bitWriter) segment() string {
	out := make([]byte, (w.n+5)/6)
	for i := range out {
		var v byte
		for b := 6 * i; b < 6*i+6; b++ {
			v <<= 1
			if b < w.n {
				v |= w.buf[b>>3] >> (7 - b&7) & 1
			}
		}
		out[i] = alphabet[v]
	}
	return string(out)
}

// maxSmallDigits is the most decimal digits handled without math/big: 10^19
// and every 64-bit field of valueBits(19) = 64 bits fit a uint64.
const maxSmallDigits = 19

// pow10 holds 10^0 to 10^19.
var pow10 = func() (p [maxSmallDigits + 1]uint64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// writeDigits appends the decimal digits s (all '0'-'9') as a binary number
// of valueBits(len(s)) bits.
func (w *bitWriter) writeDigits(s string) {
	width := valueBits(len(s))
	if len(s) <= maxSmallDigits {
		var v uint64
		if s != "" {
			v, _ = strconv.ParseUint(s, 10, 64) // digits only, < 10^19: cannot fail
		}
		w.write(v, width)
		return
	}
	z, _ := new(big.Int).SetString(s, 10) // digits only: cannot fail
	for i := width - 1; i >= 0; i-- {
		w.write(uint64(z.Bit(i)), 1)
	}
}

// readDigits reads a binary number of valueBits(n) bits and returns it as n
// decimal digits, zero-padded. It fails when the bits run out or the number
// has more than n digits.
func (r *bitReader) readDigits(n int, dst []byte) ([]byte, bool) {
	width := valueBits(n)
	if width > r.left() {
		return dst, false
	}
	if n <= maxSmallDigits {
		v, _ := r.read(width)
		if n == 0 {
			return dst, v == 0
		}
		if v >= pow10[n] {
			return dst, false
		}
		start := len(dst)
		dst = strconv.AppendUint(dst, v, 10)
		return padLeft(dst, start, n), true
	}
	z := new(big.Int)
	for left := width; left > 0; {
		take := min(left, 64)
		v, _ := r.read(take)
		z.Lsh(z, uint(take))
		z.Or(z, new(big.Int).SetUint64(v))
		left -= take
	}
	limit := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
	if z.Cmp(limit) >= 0 {
		return dst, false
	}
	start := len(dst)
	dst = z.Append(dst, 10)
	return padLeft(dst, start, n), true
}

// padLeft left-pads dst[start:] with '0' to n characters.
func padLeft(dst []byte, start, n int) []byte {
	have := len(dst) - start
	if have >= n {
		return dst
	}
	pad := n - have
	for range pad {
		dst = append(dst, 0)
	}
	copy(dst[start+pad:], dst[start:start+have])
	for i := start; i < start+pad; i++ {
		dst[i] = '0'
	}
	return dst
}

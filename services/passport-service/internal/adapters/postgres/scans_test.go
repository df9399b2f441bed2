package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/packytrace/packytrace/adapters/events"
	"github.com/packytrace/packytrace/adapters/kafka"
	eventschemas "github.com/packytrace/packytrace/events"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/postgres"
	"github.com/packytrace/packytrace/services/passport-service/internal/adapters/scanrecorder"
	"github.com/packytrace/packytrace/services/passport-service/internal/config"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/dl"
	"github.com/packytrace/packytrace/services/passport-service/internal/core/scan"
)

var scanTopic = events.Topic(postgres.ScanRecordedType, postgres.ScanRecordedVersion)

// eventRegistry loads the repository's event contracts, as the service does.
func eventRegistry(t testing.TB) *events.Registry {
	t.Helper()
	reg, err := events.NewRegistry(eventschemas.Dir)
	if err != nil {
		t.Fatalf("NewRegistry: %v", err)
	}
	return reg
}

// outboxDB is a database of the test's own with the passport schema and
// its outbox tables.
func outboxDB(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool := newDB(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := kafka.Migrate(ctx, pool, "passport"); err != nil {
		t.Fatalf("kafka.Migrate: %v", err)
	}
	return pool
}

func testScan(t testing.TB, i int, path, query string) scan.Scan {
	t.Helper()
	u, err := dl.ParsePath(path, query)
	if err != nil {
		t.Fatalf("ParsePath(%q): %v", path, err)
	}
	key := string(dl.AppendPath(nil, u.Elements[:u.PathLen]))
	s := scan.FromURI(u, key, time.Date(2026, 5, 4, 3, 2, 1, i, time.UTC))
	s.Outcome = scan.Redirect
	return s
}

// runRelay runs a relay of the passport outbox to brokers until the test
// ends.
func runRelay(t *testing.T, pool *pgxpool.Pool, brokers []string) *kafka.Relay {
	t.Helper()
	cl, err := kafka.NewClient(kafka.Config{Brokers: brokers, ClientID: "scan-test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	relay, err := kafka.NewRelay(pool, cl, kafka.RelayConfig{
		Schema: "passport", PollInterval: 50 * time.Millisecond, PublishTimeout: 500 * time.Millisecond,
		MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelError})),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- relay.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("relay: %v", err)
		}
	})
	return relay
}

// consumeScans reads topic from the start until it has want records.
func consumeScans(t *testing.T, brokers []string, want int) []*kgo.Record {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(scanTopic),
		kgo.ConsumeStartOffset(kgo.NewOffset().AtStart()), kgo.FetchMaxWait(200*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out []*kgo.Record
	for len(out) < want {
		fetches := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("read %s: %d records, want %d", scanTopic, len(out), want)
		}
		out = append(out, fetches.Records()...)
	}
	return out
}

func waitUntil(t *testing.T, what string, cond func() (bool, error)) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		ok, err := cond()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestScanSink_EventsValidateAndReachTheTopic(t *testing.T) {
	t.Parallel()
	reg := eventRegistry(t)
	pool := outboxDB(t)
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(2, scanTopic))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cluster.Close)
	runRelay(t, pool, cluster.ListenAddrs())

	full := testScan(t, 0, "/01/09506000134352/10/LOT42/21/S%2F1", "17=261200&15=270315&3103=000189&linkType=gs1:pip")
	full.VisitorID = "AbCdEfGhIjKlMnOpQrStUv"
	full.AccountID = "user-123"
	full.Region = "CH"
	full.UserAgent = scan.ClassBrowserMobile
	full.LinkType = "gs1:pip"
	gln := testScan(t, 1, "/414/9520123456788", "")
	gln.Outcome = scan.NotFound
	messy := testScan(t, 2, "/01/09506000134352", "")
	messy.Outcome = scan.Choices
	messy.Region = "EU"                                 // not a country: unknown
	messy.VisitorID = "short"                           // malformed: left out
	messy.AccountID = string(make([]byte, 300))         // over-long: left out
	refused := testScan(t, 3, "/01/09506000134352", "") // no outcome: left out
	refused.Outcome = 0

	sink := postgres.NewScanSink(pool, kafka.NewOutbox("passport", reg), nil)
	ctx := context.Background()
	if err := sink.WriteScans(ctx, []scan.Scan{full, gln, messy, refused}); err != nil {
		t.Fatalf("WriteScans: %v", err)
	}

	recs := consumeScans(t, cluster.ListenAddrs(), 3)
	byKey := map[string]map[string]any{}
	for _, rec := range recs {
		env, err := reg.Validate(rec.Value)
		if err != nil {
			t.Fatalf("published scan fails its schema: %v\n%s", err, rec.Value)
		}
		if env.Type != postgres.ScanRecordedType || env.Producer != "passport-service" || string(rec.Key) != env.Key {
			t.Fatalf("envelope %+v, record key %q", env, rec.Key)
		}
		var data map[string]any
		if err := json.Unmarshal(env.Data, &data); err != nil {
			t.Fatal(err)
		}
		byKey[data["key"].(string)+" "+data["outcome"].(string)] = data
		if _, ip := data["ip"]; ip {
			t.Fatal("an IP address in a scan event")
		}
	}
	got := byKey["/01/09506000134352/10/LOT42/21/S%2F1 redirect"]
	want := map[string]any{
		"gtin": "09506000134352", "lot": "LOT42", "serial": "S/1", "expiry_date": "2026-12-31",
		"best_before_date": "2027-03-15", "visitor_id": "AbCdEfGhIjKlMnOpQrStUv", "account_id": "user-123",
		"region": "CH", "user_agent_class": "browser_mobile", "link_type": "gs1:pip",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("full scan: %s = %v, want %v (data %v)", k, got[k], v, got)
		}
	}
	if fmt.Sprint(got["attributes"]) != "map[15:270315 17:261200 3103:000189]" ||
		fmt.Sprint(got["qualifiers"]) != "[map[ai:10 value:LOT42] map[ai:21 value:S/1]]" {
		t.Errorf("full scan: attributes %v, qualifiers %v", got["attributes"], got["qualifiers"])
	}
	if g := byKey["/414/9520123456788 not_found"]; g == nil || g["gtin"] != nil || g["region"] != "unknown" || g["user_agent_class"] != "unknown" {
		t.Errorf("GLN scan: %v", g)
	}
	if m := byKey["/01/09506000134352 choices"]; m == nil || m["region"] != "unknown" || m["visitor_id"] != nil || m["account_id"] != nil {
		t.Errorf("messy scan: %v", m)
	}
}

// FuzzScanEnvelope_MeetsTheContract is the proof behind validating only a
// sample of scan events on produce (ADR 0015): every scan the resolver can
// record, from any Digital Link URI it accepts and any header or token
// values, becomes an event that passes passport.scan.recorded v1 in full.
func FuzzScanEnvelope_MeetsTheContract(f *testing.F) {
	reg := eventRegistry(f)
	seeds := []struct{ path, query string }{
		{"/01/09506000134352/10/LOT42/21/S%2F1", "17=261200&15=270315&3103=000189&linkType=gs1:pip"},
		{"/01/09506000134352/22/" + strings.Repeat("C", 20) + "/10/" + strings.Repeat("%21", 20) + "/21/" + strings.Repeat("9", 20), "17=991231&7003=9912312359&99=" + strings.Repeat("X", 90)},
		{"/414/9520123456788/254/" + strings.Repeat("Z", 20), "linkType=all"},
		{"/00/095060001343528902", "17=260200&10=L1&21=S1"},
		{"/8004/9520614141234567", ""},
		{"/01/09506000134352", "17=000000&15=991300"},
	}
	for i, sd := range seeds {
		f.Add(sd.path, sd.query, "AbCdEfGhIjKlMnOpQrStUv", "user-123", "CH", "Mozilla/5.0 (iPhone)", "gs1:pip", uint8(i))
	}
	f.Add("/01/09506000134352", "", "", strings.Repeat("a", 256), "de-AT", "", strings.Repeat("t", 201), uint8(9))
	at := time.Date(2026, 5, 4, 3, 2, 1, 0, time.UTC)
	f.Fuzz(func(t *testing.T, path, query, visitor, account, region, ua, linkType string, outcome uint8) {
		u, err := dl.ParsePath(path, query)
		if err != nil {
			return // the resolver answers 400 and records nothing
		}
		s := scan.FromURI(u, string(dl.AppendPath(nil, u.Elements[:u.PathLen])), at)
		s.Outcome = scan.Outcome(outcome%4) + scan.Redirect
		s.VisitorID, s.AccountID, s.LinkType = visitor, account, linkType
		s.Region = scan.NormalizeRegion(region)
		if outcome&0x80 != 0 {
			s.Region = region // a value no normalizer saw
		}
		s.UserAgent = scan.ClassifyUserAgent(ua)
		env, err := postgres.ScanEnvelope(&s)
		if err != nil {
			t.Fatalf("ScanEnvelope(%s?%s): %v", path, query, err)
		}
		if _, err := reg.Marshal(env); err != nil {
			t.Fatalf("the event of %s?%s breaks its contract: %v", path, query, err)
		}
	})
}

// TestScanSink_BrokerDown_NothingLost records scans through the recorder
// while no broker is up: they wait in the outbox, and once a broker comes
// up on the relay's address every one of them is published.
func TestScanSink_BrokerDown_NothingLost(t *testing.T) {
	t.Parallel()
	const n = 1200
	reg := eventRegistry(t)
	pool := outboxDB(t)
	port := freeTCPPort(t)
	brokers := []string{"127.0.0.1:" + strconv.Itoa(port)}
	relay := runRelay(t, pool, brokers) // no broker there yet

	rec, err := scanrecorder.New(postgres.NewScanSink(pool, kafka.NewOutbox("passport", reg), nil),
		scanrecorder.Config{BatchSize: 100, FlushInterval: 10 * time.Millisecond, Buffer: 1000})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- rec.Run(ctx) }()
	base := testScan(t, 0, "/01/09506000134352/10/LOT1", "")
	for i := range n {
		s := base
		s.At = base.At.Add(time.Duration(i) * time.Millisecond)
		s.VisitorID = fmt.Sprintf("v%021d", i)
		rec.Record(s)
	}
	cancel() // a graceful shutdown: the recorder drains into the outbox
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	bctx, bcancel := context.WithTimeout(context.Background(), time.Minute)
	defer bcancel()
	if backlog, err := relay.Backlog(bctx); err != nil || backlog != n {
		t.Fatalf("outbox backlog with the broker down = %d, %v; want %d", backlog, err, n)
	}

	cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.Ports(port), kfake.SeedTopics(3, scanTopic))
	if err != nil {
		t.Fatalf("start broker on %d: %v", port, err)
	}
	t.Cleanup(cluster.Close)
	waitUntil(t, "the outbox to empty", func() (bool, error) {
		b, err := relay.Backlog(bctx)
		return b == 0, err
	})
	recs := consumeScans(t, brokers, n)
	visitors := make(map[string]bool, n)
	for _, r := range recs {
		env, err := reg.Validate(r.Value)
		if err != nil {
			t.Fatalf("published scan fails its schema: %v", err)
		}
		var d postgres.ScanRecordedDataV1
		if err := json.Unmarshal(env.Data, &d); err != nil {
			t.Fatal(err)
		}
		visitors[d.VisitorID] = true
	}
	if len(visitors) != n {
		t.Fatalf("distinct scans published = %d, want %d", len(visitors), n)
	}
}

func freeTCPPort(t testing.TB) int {
	t.Helper()
	l, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func benchScans(b *testing.B, n int) []scan.Scan {
	scans := make([]scan.Scan, n)
	for i := range scans {
		scans[i] = testScan(b, i, "/01/09506000134352/10/LOT42", "17=261200")
		scans[i].VisitorID = "AbCdEfGhIjKlMnOpQrStUv"
		scans[i].Region = "CH"
		scans[i].UserAgent = scan.ClassBrowserMobile
		scans[i].LinkType = "gs1:pip"
	}
	return scans
}

// BenchmarkScanEnvelope measures turning one scan into its event, without
// the schema validation (Registry.Encode, what Outbox.Add does for scans
// the sample skips) and with it (Registry.Marshal).
func BenchmarkScanEnvelope(b *testing.B) {
	reg := eventRegistry(b)
	s := benchScans(b, 1)[0]
	b.Run("build+encode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			env, err := postgres.ScanEnvelope(&s)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := reg.Encode(env); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("build+encode+validate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			env, err := postgres.ScanEnvelope(&s)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := reg.Marshal(env); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkScanSink_WriteScans writes batches of 500 scans (the default
// SCAN_BATCH_SIZE) into the outbox of a real database, validating every
// event and, as the service does, a sample (SCAN_VALIDATE_EVERY).
func BenchmarkScanSink_WriteScans(b *testing.B) {
	const batch = 500
	pool := outboxDB(b)
	scans := benchScans(b, batch)
	tv := events.TypeVersion{Type: postgres.ScanRecordedType, Version: postgres.ScanRecordedVersion}
	for _, every := range []int{1, config.DefaultScanValidateEvery} {
		b.Run("validate 1 in "+strconv.Itoa(every), func(b *testing.B) {
			sink := postgres.NewScanSink(pool, kafka.NewOutbox("passport", eventRegistry(b), kafka.ValidateEvery(tv, every)), nil)
			ctx := context.Background()
			b.ReportAllocs()
			start := time.Now()
			for b.Loop() {
				if err := sink.WriteScans(ctx, scans); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(batch*b.N)/time.Since(start).Seconds(), "scans/s")
		})
	}
}

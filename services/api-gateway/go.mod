module github.com/packytrace/packytrace/services/api-gateway

go 1.26

require github.com/packytrace/packytrace/adapters v0.0.0-00010101000000-000000000000

replace github.com/packytrace/packytrace/adapters => ../../adapters

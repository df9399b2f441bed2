module github.com/packytrace/packytrace/services/brand-analytics-service

go 1.26

replace github.com/packytrace/packytrace/adapters => ../../adapters

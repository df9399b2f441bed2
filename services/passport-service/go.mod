module github.com/packytrace/packytrace/services/passport-service

go 1.26

replace github.com/packytrace/packytrace/adapters => ../../adapters

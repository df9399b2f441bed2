module github.com/packytrace/packytrace/services/identity-service

go 1.26

replace github.com/packytrace/packytrace/adapters => ../../adapters

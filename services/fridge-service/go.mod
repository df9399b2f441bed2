module github.com/packytrace/packytrace/services/fridge-service

go 1.26

replace github.com/packytrace/packytrace/adapters => ../../adapters

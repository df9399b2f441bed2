module github.com/packytrace/packytrace/services/measurement-pipeline

go 1.26

replace github.com/packytrace/packytrace/adapters => ../../adapters

module github.com/packytrace/packytrace/events

go 1.26

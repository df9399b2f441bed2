package main

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// TestService_CreatesTheTopicsItProduces checks that a started service has
// created the topics of its events and their dead-letter topics, so the
// outbox relay never waits on a missing one.
func TestService_CreatesTheTopicsItProduces(t *testing.T) {
	t.Parallel()
	in, _ := start(t)
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(in.Getenv("KAFKA_BROKERS"), ",")...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)
	want := []string{"passport.product.changed.v1", "passport.product.changed.v1.dlq",
		"passport.scan.recorded.v1", "passport.scan.recorded.v1.dlq"}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var have []string
	for ctx.Err() == nil {
		topics, err := adm.ListTopics(ctx)
		if err == nil {
			have = topics.Names()
			if !slices.ContainsFunc(want, func(w string) bool { return !slices.Contains(have, w) }) {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("topics %v, want %v among them", have, want)
}

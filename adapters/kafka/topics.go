package kafka

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/packytrace/packytrace/adapters/fault"
)

// DLQSuffix ends the name of every dead-letter topic.
const DLQSuffix = ".dlq"

// DLQTopic names the dead-letter topic of topic.
func DLQTopic(topic string) string { return topic + DLQSuffix }

// TopicSpec describes a topic to create.
type TopicSpec struct {
	// Name is the topic name, usually events.Topic(type, version).
	Name string
	// Partitions is the partition count; 0 means the broker default.
	Partitions int32
	// ReplicationFactor is the replica count; 0 means the broker default.
	ReplicationFactor int16
	// Configs are topic configs such as retention.ms; nil values mean the
	// broker default.
	Configs map[string]*string
}

// WithDLQ returns specs followed by a dead-letter topic for each of them
// ("<name>.dlq", same partitions, replication and configs). Specs that are
// dead-letter topics already get none.
func WithDLQ(specs ...TopicSpec) []TopicSpec {
	out := make([]TopicSpec, 0, 2*len(specs))
	out = append(out, specs...)
	for _, s := range specs {
		if strings.HasSuffix(s.Name, DLQSuffix) {
			continue
		}
		dlq := s
		dlq.Name = DLQTopic(s.Name)
		dlq.Configs = maps.Clone(s.Configs)
		out = append(out, dlq)
	}
	return out
}

// EnsureTopics creates the topics that do not exist yet; existing topics are
// left as they are (their partition count is not changed). It is safe to run
// from every replica at start-up.
func EnsureTopics(ctx context.Context, cl *kgo.Client, topics ...TopicSpec) error {
	// kadm's Close would close cl, which belongs to the caller: not called.
	adm := kadm.NewClient(cl)
	var errs []error
	for _, t := range topics {
		if t.Name == "" {
			errs = append(errs, fault.New(fault.Invalid, "kafka: topic spec without a name"))
			continue
		}
		partitions, rf := t.Partitions, t.ReplicationFactor
		if partitions <= 0 {
			partitions = -1
		}
		if rf <= 0 {
			rf = -1
		}
		resp, err := adm.CreateTopic(ctx, partitions, rf, t.Configs, t.Name)
		if err == nil {
			err = resp.Err
		}
		if err != nil && !errors.Is(err, kerr.TopicAlreadyExists) {
			errs = append(errs, fmt.Errorf("kafka: create topic %s: %w", t.Name, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		if fault.Is(err, fault.Invalid) {
			return err
		}
		return fault.Wrap(fault.Unavailable, err, "kafka: topics could not be created")
	}
	return nil
}

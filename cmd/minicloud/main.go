// Command minicloud serves minicloud's AWS wire protocols on one local
// endpoint, for the AWS CLI, SDKs in any language, and prototypes:
//
//	go run ./cmd/minicloud                       # http://127.0.0.1:4566, in memory
//	go run ./cmd/minicloud -data ./state         # kept across restarts
//	aws dynamodb list-tables --endpoint-url http://127.0.0.1:4566
//
// It serves one simulated account, minicloud.Cloud.Handler: requests are
// routed by their X-Amz-Target header — DynamoDB_20120810.* to DynamoDB
// and DynamoDBStreams_20120810.* to DynamoDB Streams (see package
// dynamo/wire), so the same --endpoint-url serves "aws dynamodb" and "aws
// dynamodbstreams"; AWSStepFunctions.* to Step Functions (package
// stepfn/wire), in memory only, for "aws stepfunctions". Lambda's REST
// paths (/2015-03-31/…) go to Lambda (package lambda/wire): functions are
// Go code and cannot be uploaded, so it lists none and refuses
// CreateFunction.
//
// Flags:
//
//	-addr host:port      address to listen on (default 127.0.0.1:4566; port 0 picks one)
//	-region name         the region served (default us-east-1)
//	-data dir            keep state in dir/dynamodb.json across restarts
//	-save-interval d     with -data, how often changes are saved (default 2s)
//	-credentials k:s,..  verify SigV4 signatures against these access keys
//
// It prints the address it listens on, and on SIGINT or SIGTERM finishes
// the requests in flight, saves the state (with -data) and exits.
//
// State files are written atomically: to a temporary file in the same
// directory, flushed to disk, then renamed over the old one, so a crash
// leaves either the old state or the new one. A state file that cannot be
// read is reported and minicloud exits; it is never replaced silently.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/minicloud/minicloud"
	"github.com/minicloud/minicloud/clock"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "minicloud:", err)
		os.Exit(1)
	}
}

// config is the parsed command line.
type config struct {
	addr         string
	region       string
	dataDir      string
	saveInterval time.Duration
	credentials  map[string]string
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("minicloud", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:4566", "address to listen on (port 0 picks a free port)")
	fs.StringVar(&c.region, "region", "us-east-1", "the AWS region served")
	fs.StringVar(&c.dataDir, "data", "", "directory to keep state in across restarts (default: in memory only)")
	fs.DurationVar(&c.saveInterval, "save-interval", 2*time.Second, "with -data, how often changes are saved")
	creds := fs.String("credentials", "", "verify SigV4 signatures against these access keys: KEY:SECRET[,KEY:SECRET...] (default: accept any request)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if c.saveInterval <= 0 {
		return c, fmt.Errorf("-save-interval must be positive, got %s", c.saveInterval)
	}
	if *creds != "" {
		c.credentials = map[string]string{}
		for _, pair := range strings.Split(*creds, ",") {
			key, secret, ok := strings.Cut(pair, ":")
			if !ok || key == "" || secret == "" {
				return c, fmt.Errorf("-credentials: %q is not KEY:SECRET", pair)
			}
			c.credentials[key] = secret
		}
	}
	return c, nil
}

// run serves until ctx is done, then shuts down cleanly. It writes the
// listening address to stdout as "minicloud listening on http://ADDR".
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	// One account serves every protocol: cloud.Handler routes DynamoDB,
	// DynamoDB Streams, Lambda, Step Functions and API Gateway stages.
	// Lambda's functions are Go code, so over the wire this Lambda only
	// lists, reads and refuses; Step Functions keeps its state in memory.
	cloud := minicloud.New(minicloud.Options{Region: cfg.region, Logger: logger, Credentials: cfg.credentials})
	defer cloud.Close()

	h := cloud.Handler()
	var store *store
	if cfg.dataDir != "" {
		store = newStore(cfg.dataDir, cloud.Dynamo)
		if err := store.load(ctx); err != nil {
			return err
		}
		h = store.track(h)
	}

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "minicloud listening on http://%s\n", ln.Addr())
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 30 * time.Second, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	var tick <-chan time.Time
	if store != nil {
		t := clock.Real().NewTicker(cfg.saveInterval)
		defer t.Stop()
		tick = t.C()
	}
	for {
		select {
		case err := <-served:
			return fmt.Errorf("serving: %w", err)
		case <-tick:
			if err := store.saveIfChanged(context.Background()); err != nil {
				logger.Error("saving state", "error", err)
			}
			continue
		case <-ctx.Done():
		}
		break
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	shutdownErr := srv.Shutdown(shutdownCtx)
	if store != nil {
		if err := store.saveIfChanged(context.Background()); err != nil {
			return fmt.Errorf("saving state on shutdown: %w", err)
		}
	}
	if shutdownErr != nil {
		return fmt.Errorf("shutting down: %w", shutdownErr)
	}
	return nil
}

package lambda

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
)

// pingServe answers each line of a connection with "pong <line>".
func pingServe(c net.Conn) {
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		fmt.Fprintf(c, "pong %s", line)
	}
}

// dialResult is what the dialling handler returns.
type dialResult struct {
	Reply   string `json:"reply"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

// dialHandler dials the address in its event and pings it.
func dialHandler(ctx context.Context, ev struct{ Address string }) (dialResult, error) {
	conn, err := Dial(ctx, ev.Address)
	if err != nil {
		var re *ReachabilityError
		if errors.As(err, &re) {
			return dialResult{Reason: re.Reason, Message: err.Error()}, nil
		}
		return dialResult{}, err
	}
	defer conn.Close()
	fmt.Fprintln(conn, "ping")
	line, err := bufio.NewReader(conn).ReadString('\n')
	return dialResult{Reply: strings.TrimSpace(line)}, err
}

// newNetwork builds vpc-1 with a private subnet, a subnet routed to a NAT
// gateway, the function's group sg-fn (egress to 5432 only), the
// proxy's group sg-db (ingress on 5432 from sg-fn), a private proxy and
// a public API.
func newNetwork(t *testing.T) *Service {
	t.Helper()
	s, _ := newTestService(t, Options{})
	steps := []error{
		s.PutVpc("vpc-1"),
		s.PutVpc("vpc-2"),
		s.PutSubnet(Subnet{SubnetId: "subnet-private", VpcId: "vpc-1"}),
		s.PutSubnet(Subnet{SubnetId: "subnet-nat", VpcId: "vpc-1", NatGateway: true}),
		s.PutSubnet(Subnet{SubnetId: "subnet-other", VpcId: "vpc-2"}),
		s.PutSecurityGroup(SecurityGroup{GroupId: "sg-fn", VpcId: "vpc-1", Egress: []SecurityGroupRule{{FromPort: 5432, ToPort: 5432}}}),
		s.PutSecurityGroup(SecurityGroup{GroupId: "sg-web", VpcId: "vpc-1"}), // default egress: all
		s.PutSecurityGroup(SecurityGroup{GroupId: "sg-db", VpcId: "vpc-1", Ingress: []SecurityGroupRule{{FromPort: 5432, ToPort: 5432, GroupId: "sg-fn"}}}),
		s.PutSecurityGroup(SecurityGroup{GroupId: "sg-cache", VpcId: "vpc-1", Ingress: []SecurityGroupRule{{FromPort: 6379, ToPort: 6379}}}),
		s.PutSecurityGroup(SecurityGroup{GroupId: "sg-other", VpcId: "vpc-2"}),
		s.PutResource(Resource{Name: "rds-proxy.internal", Port: 5432, VpcId: "vpc-1", SecurityGroupIds: []string{"sg-db"}, Serve: pingServe}),
		s.PutResource(Resource{Name: "cache.internal", Port: 6379, VpcId: "vpc-1", SecurityGroupIds: []string{"sg-cache"}, Serve: pingServe}),
		s.PutResource(Resource{Name: "api.example.com", Port: 443, Serve: pingServe}),
	}
	if err := errors.Join(steps...); err != nil {
		t.Fatal(err)
	}
	return s
}

func dialFrom(t *testing.T, s *Service, fn, address string) dialResult {
	t.Helper()
	out := invoke(t, s, &InvokeInput{FunctionName: fn, Payload: []byte(fmt.Sprintf(`{"Address":%q}`, address))})
	if out.FunctionError != "" {
		t.Fatalf("function error %s", out.Payload)
	}
	var r dialResult
	if err := json.Unmarshal(out.Payload, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestDial_FunctionReachesRDSProxyOnlyOncePlacedInItsVPC(t *testing.T) {
	s := newNetwork(t)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "orders", Handler: Handler(dialHandler)})
	r := dialFrom(t, s, "orders", "rds-proxy.internal:5432")
	if r.Reason != ReasonNotInVPC || !strings.Contains(r.Message, "function is not in a VPC") {
		t.Fatalf("outside the VPC: %+v", r)
	}
	if _, err := s.UpdateFunctionConfiguration(context.Background(), &UpdateFunctionConfigurationInput{
		FunctionName: "orders", VpcConfig: &VpcConfig{SubnetIds: []string{"subnet-private"}, SecurityGroupIds: []string{"sg-fn"}},
	}); err != nil {
		t.Fatal(err)
	}
	if r := dialFrom(t, s, "orders", "rds-proxy.internal:5432"); r.Reply != "pong ping" || r.Reason != "" {
		t.Fatalf("in the VPC: %+v", r)
	}
}

func TestDial_NamesTheMissingPiece(t *testing.T) {
	s := newNetwork(t)
	fns := map[string]*VpcConfig{
		"outside":   nil,
		"db":        {SubnetIds: []string{"subnet-private"}, SecurityGroupIds: []string{"sg-fn"}},
		"web":       {SubnetIds: []string{"subnet-private"}, SecurityGroupIds: []string{"sg-web"}},
		"web-nat":   {SubnetIds: []string{"subnet-nat"}, SecurityGroupIds: []string{"sg-web"}},
		"web-mixed": {SubnetIds: []string{"subnet-nat", "subnet-private"}, SecurityGroupIds: []string{"sg-web"}},
		"other":     {SubnetIds: []string{"subnet-other"}, SecurityGroupIds: []string{"sg-other"}},
	}
	for name, vc := range fns {
		mustCreate(t, s, &CreateFunctionInput{FunctionName: name, Handler: Handler(dialHandler), VpcConfig: vc})
	}
	tests := []struct {
		fn, address, reason, message string
	}{
		{"outside", "api.example.com:443", "", ""},
		{"outside", "cache.internal:6379", ReasonNotInVPC, "function is not in a VPC, and cache.internal is private to vpc-1"},
		{"db", "rds-proxy.internal:5432", "", ""},
		{"db", "cache.internal:6379", ReasonEgressDenied, "security group sg-fn does not allow egress to port 6379"},
		{"db", "api.example.com:443", ReasonEgressDenied, "security group sg-fn does not allow egress to port 443"},
		{"web", "rds-proxy.internal:5432", ReasonIngressDenied, "resource's security group sg-db does not allow ingress from sg-web on port 5432"},
		{"web", "cache.internal:6379", "", ""}, // ingress from any address
		{"web", "api.example.com:443", ReasonNoNATGateway, "subnet subnet-private has no route to a NAT gateway, so the internet is unreachable"},
		{"web-nat", "api.example.com:443", "", ""},
		{"web-mixed", "api.example.com:443", ReasonNoNATGateway, "subnet subnet-private has no route to a NAT gateway"},
		{"other", "rds-proxy.internal:5432", ReasonOtherVPC, "resource is in vpc-1, the function in vpc-2"},
		{"outside", "nowhere.internal:5432", ReasonUnknownHost, "no such host nowhere.internal"},
		{"outside", "api.example.com:80", ReasonConnectionRefused, "api.example.com listens on port 443"},
	}
	for _, tt := range tests {
		t.Run(tt.fn+"->"+tt.address, func(t *testing.T) {
			r := dialFrom(t, s, tt.fn, tt.address)
			if r.Reason != tt.reason || !strings.Contains(r.Message, tt.message) {
				t.Fatalf("got %+v, want reason %q, message containing %q", r, tt.reason, tt.message)
			}
			if tt.reason == "" && r.Reply != "pong ping" {
				t.Fatalf("reply %q", r.Reply)
			}
		})
	}
}

func TestDial_ErrorsMatchSentinels(t *testing.T) {
	s := newNetwork(t)
	_, err := s.vpc.dial("rds-proxy.internal:5432", nil)
	if !errors.Is(err, ErrNotInVPC) || errors.Is(err, ErrEgressDenied) {
		t.Fatalf("errors.Is: %v", err)
	}
	if _, err := Dial(context.Background(), "rds-proxy.internal:5432"); err == nil {
		t.Fatal("Dial outside an invocation succeeded")
	}
}

func TestVpcConfig_ValidatedAndReported(t *testing.T) {
	s := newNetwork(t)
	ids := func(prefix string, n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("%s-%d", prefix, i)
		}
		return out
	}
	tests := []struct {
		name string
		vc   *VpcConfig
		msg  string
	}{
		{"17 subnets", &VpcConfig{SubnetIds: ids("subnet", 17), SecurityGroupIds: []string{"sg-fn"}}, "less than or equal to 16"},
		{"6 security groups", &VpcConfig{SubnetIds: []string{"subnet-private"}, SecurityGroupIds: ids("sg", 6)}, "less than or equal to 5"},
		{"unknown subnet", &VpcConfig{SubnetIds: []string{"subnet-x"}, SecurityGroupIds: []string{"sg-fn"}}, "The subnet ID 'subnet-x' does not exist"},
		{"unknown group", &VpcConfig{SubnetIds: []string{"subnet-private"}, SecurityGroupIds: []string{"sg-x"}}, "The security group 'sg-x' does not exist"},
		{"subnets in two VPCs", &VpcConfig{SubnetIds: []string{"subnet-private", "subnet-other"}, SecurityGroupIds: []string{"sg-fn"}}, "different VPCs"},
		{"group of another VPC", &VpcConfig{SubnetIds: []string{"subnet-private"}, SecurityGroupIds: []string{"sg-other"}}, "sg-other is in vpc-2"},
		{"subnets only", &VpcConfig{SubnetIds: []string{"subnet-private"}}, "both SubnetIds and SecurityGroupIds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.CreateFunction(context.Background(), &CreateFunctionInput{FunctionName: "f", Handler: Handler(echo), VpcConfig: tt.vc})
			if !errors.Is(err, ErrInvalidParameterValue) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err = %v, want InvalidParameterValueException containing %q", err, tt.msg)
			}
		})
	}
	ctx := context.Background()
	out, err := s.CreateFunction(ctx, &CreateFunctionInput{FunctionName: "f", Handler: Handler(echo),
		VpcConfig: &VpcConfig{SubnetIds: []string{"subnet-private", "subnet-nat"}, SecurityGroupIds: []string{"sg-fn"}}})
	if err != nil {
		t.Fatal(err)
	}
	if vc := out.VpcConfig; vc == nil || vc.VpcId != "vpc-1" || len(vc.SubnetIds) != 2 {
		t.Fatalf("VpcConfig %+v", vc)
	}
	if _, err := s.UpdateFunctionConfiguration(ctx, &UpdateFunctionConfigurationInput{FunctionName: "f", VpcConfig: &VpcConfig{}}); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.GetFunctionConfiguration(ctx, &GetFunctionInput{FunctionName: "f"}); c.VpcConfig != nil {
		t.Fatalf("VpcConfig after removal %+v", c.VpcConfig)
	}
}

func TestDial_CloseEndsOpenConnections(t *testing.T) {
	s := newNetwork(t)
	served := make(chan struct{})
	if err := s.PutResource(Resource{Name: "queue.internal", Port: 5672, Serve: func(c net.Conn) {
		defer close(served)
		pingServe(c)
	}}); err != nil {
		t.Fatal(err)
	}
	kept := make(chan net.Conn, 1)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(func(ctx context.Context) error {
		c, err := Dial(ctx, "queue.internal:5672")
		kept <- c // kept for later invocations, as a warm environment would
		return err
	})})
	invoke(t, s, &InvokeInput{FunctionName: "f"})
	c := <-kept
	s.Close()
	<-served
	if _, err := c.Read(make([]byte, 1)); err == nil {
		t.Fatal("connection still open after Close")
	}
}

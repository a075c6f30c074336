package lambda

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
)

// Why a [Dial] failed: the Reason of a [*ReachabilityError]. Each names
// the one piece of the network that is missing.
const (
	// ReasonNotInVPC: the resource is private to a VPC and the function
	// has no VpcConfig.
	ReasonNotInVPC = "NotInVPC"
	// ReasonOtherVPC: the resource is private to another VPC than the
	// function's (peering is not modelled).
	ReasonOtherVPC = "OtherVPC"
	// ReasonEgressDenied: none of the function's security groups allows
	// traffic out to the resource's port (and group, or address).
	ReasonEgressDenied = "EgressDenied"
	// ReasonIngressDenied: none of the resource's security groups lets in
	// traffic on its port from the function's groups.
	ReasonIngressDenied = "IngressDenied"
	// ReasonNoNATGateway: the function is in a VPC and a subnet of it has
	// no route to a NAT gateway, so the internet is unreachable.
	ReasonNoNATGateway = "NoNATGateway"
	// ReasonUnknownHost: no resource has that name.
	ReasonUnknownHost = "UnknownHost"
	// ReasonConnectionRefused: the resource does not listen on that port.
	ReasonConnectionRefused = "ConnectionRefused"
)

// ReachabilityError is why a handler's [Dial] could not connect: Reason
// (one of the Reason constants above) and a message naming the missing
// piece, such as "security group sg-1 does not allow egress to port
// 5432". errors.Is matches it with another ReachabilityError of the same
// Reason, such as [ErrNotInVPC].
type ReachabilityError struct {
	// Address is what was dialled, "host:port".
	Address string
	Reason  string
	Message string
}

// Error returns "dial <address>: <message>".
func (e *ReachabilityError) Error() string {
	if e.Address == "" {
		return e.Message
	}
	return "dial " + e.Address + ": " + e.Message
}

// Is reports whether target is a ReachabilityError of the same Reason.
func (e *ReachabilityError) Is(target error) bool {
	t, ok := target.(*ReachabilityError)
	return ok && t.Reason == e.Reason
}

// Sentinels for errors.Is, one per Reason.
var (
	ErrNotInVPC          = &ReachabilityError{Reason: ReasonNotInVPC, Message: "function is not in a VPC"}
	ErrOtherVPC          = &ReachabilityError{Reason: ReasonOtherVPC, Message: "resource is in another VPC"}
	ErrEgressDenied      = &ReachabilityError{Reason: ReasonEgressDenied, Message: "security group does not allow egress"}
	ErrIngressDenied     = &ReachabilityError{Reason: ReasonIngressDenied, Message: "resource's security group does not allow ingress"}
	ErrNoNATGateway      = &ReachabilityError{Reason: ReasonNoNATGateway, Message: "subnet has no route to a NAT gateway, so the internet is unreachable"}
	ErrUnknownHost       = &ReachabilityError{Reason: ReasonUnknownHost, Message: "no such host"}
	ErrConnectionRefused = &ReachabilityError{Reason: ReasonConnectionRefused, Message: "connection refused"}
)

// Dial connects, from the function whose invocation ctx belongs to, to
// the resource registered under address's host name ("host:port"),
// following the function's VpcConfig and the service's network model
// ([Service.PutResource]): a function outside any VPC reaches public
// resources only; a function in a VPC reaches the private resources of
// its VPC that its security groups let it send to and whose groups let it
// in, and public resources only when its subnets route to a NAT gateway
// and a group allows the egress. It returns the handler's end of an
// in-memory connection, or a [*ReachabilityError] naming the missing
// piece. Outside an invocation it fails.
//
// A connection may outlive the invocation, as a database connection kept
// in a warm environment does; Close closes those still open.
func Dial(ctx context.Context, address string) (net.Conn, error) {
	st := stateOf(ctx)
	if st == nil || st.env == nil {
		return nil, fmt.Errorf("lambda.Dial %s: called outside an invocation of a Go handler", address)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p := st.env.pool
	return p.s.vpc.dial(address, p.v.cfg.vpc)
}

func (n *network) dial(address string, fv *vpcSetting) (net.Conn, error) {
	host, portStr, err := net.SplitHostPort(address)
	if err != nil {
		return nil, &ReachabilityError{Address: address, Reason: ReasonUnknownHost, Message: err.Error()}
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || port < 1 || port > 65535 {
		return nil, &ReachabilityError{Address: address, Reason: ReasonConnectionRefused, Message: "invalid port " + portStr}
	}
	n.mu.Lock()
	r, ok := n.resources[host]
	if !ok {
		n.mu.Unlock()
		return nil, &ReachabilityError{Address: address, Reason: ReasonUnknownHost, Message: "no such host " + host}
	}
	if err := n.checkLocked(r, port, fv); err != nil {
		n.mu.Unlock()
		err.Address = address
		return nil, err
	}
	if r.Port != port {
		n.mu.Unlock()
		return nil, &ReachabilityError{Address: address, Reason: ReasonConnectionRefused, Message: fmt.Sprintf("connection refused: %s listens on port %d", host, r.Port)}
	}
	if n.closed {
		n.mu.Unlock()
		return nil, errClosed()
	}
	if r.Dial != nil {
		n.mu.Unlock()
		return r.Dial()
	}
	client, server := net.Pipe()
	n.conns[server] = struct{}{}
	n.wg.Add(1)
	n.mu.Unlock()
	go func() {
		defer n.wg.Done()
		defer func() {
			server.Close()
			n.mu.Lock()
			delete(n.conns, server)
			n.mu.Unlock()
		}()
		r.Serve(server)
	}()
	return client, nil
}

// checkLocked decides whether a function with VPC setting fv may open a
// connection to r on port. The caller holds n.mu.
func (n *network) checkLocked(r Resource, port int, fv *vpcSetting) *ReachabilityError {
	if fv == nil {
		if r.VpcId != "" {
			return &ReachabilityError{Reason: ReasonNotInVPC, Message: fmt.Sprintf("function is not in a VPC, and %s is private to %s", r.Name, r.VpcId)}
		}
		return nil
	}
	if r.VpcId != "" && r.VpcId != fv.vpcID {
		return &ReachabilityError{Reason: ReasonOtherVPC, Message: fmt.Sprintf("resource is in %s, the function in %s", r.VpcId, fv.vpcID)}
	}
	allowed := func(rules []SecurityGroupRule, peers []string) bool {
		for _, rule := range rules {
			if port < rule.FromPort || port > rule.ToPort {
				continue
			}
			if rule.GroupId == "" || slices.Contains(peers, rule.GroupId) {
				return true
			}
		}
		return false
	}
	var egress []SecurityGroupRule
	for _, id := range fv.groups {
		egress = append(egress, n.groups[id].Egress...)
	}
	if !allowed(egress, r.SecurityGroupIds) {
		return &ReachabilityError{Reason: ReasonEgressDenied, Message: fmt.Sprintf("%s %s not allow egress to port %d", plural("security group", fv.groups), doesOrDo(fv.groups), port)}
	}
	if r.VpcId == "" {
		for _, id := range fv.subnets {
			if !n.subnets[id].NatGateway {
				return &ReachabilityError{Reason: ReasonNoNATGateway, Message: fmt.Sprintf("subnet %s has no route to a NAT gateway, so the internet is unreachable", id)}
			}
		}
		return nil
	}
	var ingress []SecurityGroupRule
	for _, id := range r.SecurityGroupIds {
		ingress = append(ingress, n.groups[id].Ingress...)
	}
	if !allowed(ingress, fv.groups) {
		return &ReachabilityError{Reason: ReasonIngressDenied, Message: fmt.Sprintf("resource's security group %s does not allow ingress from %s on port %d", strings.Join(r.SecurityGroupIds, ", "), strings.Join(fv.groups, ", "), port)}
	}
	return nil
}

func plural(noun string, ids []string) string {
	if len(ids) == 1 {
		return noun + " " + ids[0]
	}
	return noun + "s " + strings.Join(ids, ", ")
}

func doesOrDo(ids []string) string {
	if len(ids) == 1 {
		return "does"
	}
	return "do"
}

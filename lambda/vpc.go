package lambda

import (
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
)

// Quotas of a function's VpcConfig, from the Lambda API Reference
// (VpcConfig): at most 16 subnets and 5 security groups.
const (
	maxVpcSubnets        = 16
	maxVpcSecurityGroups = 5
)

// VpcConfig connects a function to a VPC, as in CreateFunction and
// UpdateFunctionConfiguration: its execution environments get a network
// interface in the subnets, with the security groups. A function without
// one runs outside any VPC: it reaches the public internet but no
// resource private to a VPC. SubnetIds (at most 16) and SecurityGroupIds
// (at most 5) must exist (see [Service.PutSubnet] and
// [Service.PutSecurityGroup]) and be in one VPC. A VpcConfig with both
// lists empty takes the function out of its VPC.
type VpcConfig struct {
	SubnetIds        []string
	SecurityGroupIds []string
}

// VpcConfigResponse is a function's VpcConfig as GetFunctionConfiguration
// returns it, with the VPC the subnets are in.
type VpcConfigResponse struct {
	SubnetIds        []string
	SecurityGroupIds []string
	VpcId            string
}

// vpcSetting is a function version's validated VpcConfig.
type vpcSetting struct {
	vpcID   string
	subnets []string
	groups  []string
}

func (v *vpcSetting) response() *VpcConfigResponse {
	if v == nil {
		return nil
	}
	return &VpcConfigResponse{SubnetIds: slices.Clone(v.subnets), SecurityGroupIds: slices.Clone(v.groups), VpcId: v.vpcID}
}

func (v *vpcSetting) equal(o *vpcSetting) bool {
	if v == nil || o == nil {
		return v == o
	}
	return v.vpcID == o.vpcID && slices.Equal(v.subnets, o.subnets) && slices.Equal(v.groups, o.groups)
}

// Subnet is a subnet of a VPC in the network model. NatGateway says
// whether its route table sends internet traffic (0.0.0.0/0) to a NAT
// gateway: a function's network interface has no public address, so
// from a VPC the internet is reachable only through one.
type Subnet struct {
	SubnetId   string
	VpcId      string
	NatGateway bool
}

// SecurityGroupRule allows traffic on the ports FromPort to ToPort (both
// included; 0 to 65535 is all traffic) with a peer: any address when
// GroupId is empty (0.0.0.0/0), else the network interfaces in the
// security group GroupId (a group reference).
type SecurityGroupRule struct {
	FromPort, ToPort int
	GroupId          string
}

// AllTraffic is a rule that allows every port to and from any address.
var AllTraffic = SecurityGroupRule{FromPort: 0, ToPort: 65535}

// SecurityGroup is a VPC security group: stateful, so an allowed
// connection's replies need no rule. Ingress rules say what may connect
// to the members of the group; Egress rules what they may connect to. As
// in EC2, a group created without egress rules (Egress nil) allows all
// outbound traffic; an empty, non-nil Egress allows none.
type SecurityGroup struct {
	GroupId string
	VpcId   string
	Ingress []SecurityGroupRule
	Egress  []SecurityGroupRule
}

// Resource is something a handler connects to with [Dial]: a database,
// a cache, an RDS-Proxy-like endpoint, a public API. Private resources
// (VpcId set) are reachable only from a function in that VPC whose
// security groups allow the traffic out and whose traffic the resource's
// groups let in; public ones (VpcId empty) from a function outside any
// VPC, or from one in a VPC through a NAT gateway.
type Resource struct {
	// Name is the host name handlers dial, such as "rds-proxy.internal".
	Name string
	// Port is the port it listens on, 1 to 65535.
	Port int
	// VpcId makes the resource private to the VPC; empty means public.
	VpcId string
	// SecurityGroupIds are the groups of a private resource (at least
	// one, in its VPC).
	SecurityGroupIds []string
	// Serve, when set, serves each connection: Dial returns one end of a
	// net.Pipe and Serve runs with the other, in its own goroutine, until
	// it returns. Close closes the connections still open and waits for
	// Serve to return.
	Serve func(conn net.Conn)
	// Dial, when set instead of Serve, makes the connection itself (to a
	// loopback listener of the test, for example).
	Dial func() (net.Conn, error)
}

// network is a Service's VPC model.
type network struct {
	mu        sync.Mutex
	closed    bool
	vpcs      map[string]bool
	subnets   map[string]Subnet
	groups    map[string]SecurityGroup
	resources map[string]Resource
	conns     map[net.Conn]struct{}
	wg        sync.WaitGroup
}

func (n *network) initLocked() {
	if n.vpcs == nil {
		n.vpcs = make(map[string]bool)
		n.subnets = make(map[string]Subnet)
		n.groups = make(map[string]SecurityGroup)
		n.resources = make(map[string]Resource)
		n.conns = make(map[net.Conn]struct{})
	}
}

// PutVpc registers a VPC. It is not part of the Lambda API but of EC2's:
// with [Service.PutSubnet], [Service.PutSecurityGroup] and
// [Service.PutResource] it builds the network a function's VpcConfig
// refers to.
func (s *Service) PutVpc(vpcID string) error {
	if !strings.HasPrefix(vpcID, "vpc-") {
		return ErrInvalidParameterValue.Newf("Invalid id: %q (expecting \"vpc-...\")", vpcID)
	}
	n := &s.vpc
	n.mu.Lock()
	defer n.mu.Unlock()
	n.initLocked()
	n.vpcs[vpcID] = true
	return nil
}

// PutSubnet registers a subnet of a registered VPC, or replaces it (to
// add or remove its NAT route).
func (s *Service) PutSubnet(sn Subnet) error {
	if !strings.HasPrefix(sn.SubnetId, "subnet-") {
		return ErrInvalidParameterValue.Newf("Invalid id: %q (expecting \"subnet-...\")", sn.SubnetId)
	}
	n := &s.vpc
	n.mu.Lock()
	defer n.mu.Unlock()
	n.initLocked()
	if !n.vpcs[sn.VpcId] {
		return ErrInvalidParameterValue.Newf("The vpc ID '%s' does not exist", sn.VpcId)
	}
	n.subnets[sn.SubnetId] = sn
	return nil
}

// PutSecurityGroup registers a security group of a registered VPC, or
// replaces its rules. A rule may name a group that is registered later.
func (s *Service) PutSecurityGroup(g SecurityGroup) error {
	if !strings.HasPrefix(g.GroupId, "sg-") {
		return ErrInvalidParameterValue.Newf("Invalid id: %q (expecting \"sg-...\")", g.GroupId)
	}
	for _, r := range slices.Concat(g.Ingress, g.Egress) {
		if r.FromPort < 0 || r.ToPort > 65535 || r.FromPort > r.ToPort {
			return ErrInvalidParameterValue.Newf("Invalid port range %d-%d in a rule of %s: ports are 0 to 65535, FromPort first", r.FromPort, r.ToPort, g.GroupId)
		}
	}
	n := &s.vpc
	n.mu.Lock()
	defer n.mu.Unlock()
	n.initLocked()
	if !n.vpcs[g.VpcId] {
		return ErrInvalidParameterValue.Newf("The vpc ID '%s' does not exist", g.VpcId)
	}
	if g.Egress == nil {
		g.Egress = []SecurityGroupRule{AllTraffic}
	}
	g.Ingress, g.Egress = slices.Clone(g.Ingress), slices.Clone(g.Egress)
	n.groups[g.GroupId] = g
	return nil
}

// PutResource registers a resource handlers can [Dial] by its name, or
// replaces the one of that name.
func (s *Service) PutResource(r Resource) error {
	switch {
	case r.Name == "":
		return ErrInvalidParameterValue.New("Resource.Name is required")
	case r.Port < 1 || r.Port > 65535:
		return ErrInvalidParameterValue.Newf("Resource %s: port %d is not 1 to 65535", r.Name, r.Port)
	case (r.Serve == nil) == (r.Dial == nil):
		return ErrInvalidParameterValue.Newf("Resource %s: set exactly one of Serve and Dial", r.Name)
	case r.VpcId == "" && len(r.SecurityGroupIds) > 0:
		return ErrInvalidParameterValue.Newf("Resource %s: a public resource (no VpcId) has no security groups", r.Name)
	case r.VpcId != "" && len(r.SecurityGroupIds) == 0:
		return ErrInvalidParameterValue.Newf("Resource %s: a resource private to %s needs a security group", r.Name, r.VpcId)
	}
	n := &s.vpc
	n.mu.Lock()
	defer n.mu.Unlock()
	n.initLocked()
	if r.VpcId != "" && !n.vpcs[r.VpcId] {
		return ErrInvalidParameterValue.Newf("The vpc ID '%s' does not exist", r.VpcId)
	}
	for _, id := range r.SecurityGroupIds {
		g, ok := n.groups[id]
		if !ok {
			return ErrInvalidParameterValue.Newf("The security group '%s' does not exist", id)
		}
		if g.VpcId != r.VpcId {
			return ErrInvalidParameterValue.Newf("Resource %s: security group %s is in %s, not in %s", r.Name, id, g.VpcId, r.VpcId)
		}
	}
	r.SecurityGroupIds = slices.Clone(r.SecurityGroupIds)
	n.resources[r.Name] = r
	return nil
}

// validateVpcConfig checks a function's VpcConfig as Lambda does: the
// quotas, then that the subnets and groups exist, in one VPC. Nil means
// no VPC.
func (s *Service) validateVpcConfig(in *VpcConfig) (*vpcSetting, error) {
	if in == nil || (len(in.SubnetIds) == 0 && len(in.SecurityGroupIds) == 0) {
		return nil, nil
	}
	if len(in.SubnetIds) > maxVpcSubnets {
		le := &LimitError{Limit: "VpcConfig.SubnetIds", Value: int64(len(in.SubnetIds)), Max: maxVpcSubnets}
		return nil, limitErr(ErrInvalidParameterValue, fmt.Sprintf("1 validation error detected: Value '[%s]' at 'vpcConfig.subnetIds' failed to satisfy constraint: Member must have length less than or equal to %d", strings.Join(in.SubnetIds, ", "), maxVpcSubnets), le)
	}
	if len(in.SecurityGroupIds) > maxVpcSecurityGroups {
		le := &LimitError{Limit: "VpcConfig.SecurityGroupIds", Value: int64(len(in.SecurityGroupIds)), Max: maxVpcSecurityGroups}
		return nil, limitErr(ErrInvalidParameterValue, fmt.Sprintf("1 validation error detected: Value '[%s]' at 'vpcConfig.securityGroupIds' failed to satisfy constraint: Member must have length less than or equal to %d", strings.Join(in.SecurityGroupIds, ", "), maxVpcSecurityGroups), le)
	}
	if len(in.SubnetIds) == 0 || len(in.SecurityGroupIds) == 0 {
		return nil, ErrInvalidParameterValue.New("A VpcConfig needs both SubnetIds and SecurityGroupIds (give neither to run outside a VPC)")
	}
	n := &s.vpc
	n.mu.Lock()
	defer n.mu.Unlock()
	v := &vpcSetting{subnets: slices.Clone(in.SubnetIds), groups: slices.Clone(in.SecurityGroupIds)}
	for _, id := range in.SubnetIds {
		sn, ok := n.subnets[id]
		if !ok {
			return nil, ErrInvalidParameterValue.Newf("Error occurred while DescribeSubnets. EC2 Error Code: InvalidSubnetID.NotFound. EC2 Error Message: The subnet ID '%s' does not exist", id)
		}
		if v.vpcID == "" {
			v.vpcID = sn.VpcId
		} else if sn.VpcId != v.vpcID {
			return nil, ErrInvalidParameterValue.Newf("Subnets %s and %s are in different VPCs (%s, %s): a function's subnets are all in one VPC", in.SubnetIds[0], id, v.vpcID, sn.VpcId)
		}
	}
	for _, id := range in.SecurityGroupIds {
		g, ok := n.groups[id]
		if !ok {
			return nil, ErrInvalidParameterValue.Newf("Error occurred while DescribeSecurityGroups. EC2 Error Code: InvalidGroup.NotFound. EC2 Error Message: The security group '%s' does not exist", id)
		}
		if g.VpcId != v.vpcID {
			return nil, ErrInvalidParameterValue.Newf("Security group %s is in %s, not in the subnets' VPC %s", id, g.VpcId, v.vpcID)
		}
	}
	return v, nil
}

// close closes the connections still open and waits for the resources'
// Serve functions.
func (n *network) close() {
	n.mu.Lock()
	n.closed = true
	conns := n.conns
	n.conns = nil
	n.mu.Unlock()
	for c := range conns {
		c.Close()
	}
	n.wg.Wait()
}

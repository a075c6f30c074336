package lambda

import (
	"net"
	"testing"
)

// BenchmarkDial measures a reachability check and connection from a
// function in a VPC to a private resource, beside the bare net.Pipe it
// returns.
func BenchmarkDial(b *testing.B) {
	s, _ := newTestService(b, Options{})
	if err := s.PutVpc("vpc-1"); err != nil {
		b.Fatal(err)
	}
	s.PutSubnet(Subnet{SubnetId: "subnet-a", VpcId: "vpc-1"})
	s.PutSecurityGroup(SecurityGroup{GroupId: "sg-fn", VpcId: "vpc-1"})
	s.PutSecurityGroup(SecurityGroup{GroupId: "sg-db", VpcId: "vpc-1", Ingress: []SecurityGroupRule{{FromPort: 5432, ToPort: 5432, GroupId: "sg-fn"}}})
	s.PutResource(Resource{Name: "db.internal", Port: 5432, VpcId: "vpc-1", SecurityGroupIds: []string{"sg-db"}, Serve: func(c net.Conn) {}})
	fv, err := s.validateVpcConfig(&VpcConfig{SubnetIds: []string{"subnet-a"}, SecurityGroupIds: []string{"sg-fn"}})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("minicloud", func(b *testing.B) {
		for range b.N {
			c, err := s.vpc.dial("db.internal:5432", fv)
			if err != nil {
				b.Fatal(err)
			}
			c.Close()
		}
	})
	b.Run("netpipe", func(b *testing.B) {
		for range b.N {
			c, srv := net.Pipe()
			go srv.Close()
			c.Close()
		}
	})
}

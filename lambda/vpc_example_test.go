package lambda_test

import (
	"bufio"
	"context"
	"fmt"
	"net"

	"github.com/minicloud/minicloud/lambda"
)

// A function outside the VPC cannot reach the RDS proxy; the same
// function placed in the VPC, with a security group the proxy lets in,
// can.
func ExampleDial() {
	ctx := context.Background()
	svc := lambda.New(lambda.Options{})
	defer svc.Close()

	svc.PutVpc("vpc-1")
	svc.PutSubnet(lambda.Subnet{SubnetId: "subnet-a", VpcId: "vpc-1"})
	svc.PutSecurityGroup(lambda.SecurityGroup{GroupId: "sg-fn", VpcId: "vpc-1"}) // all egress, as EC2 creates it
	svc.PutSecurityGroup(lambda.SecurityGroup{GroupId: "sg-proxy", VpcId: "vpc-1",
		Ingress: []lambda.SecurityGroupRule{{FromPort: 5432, ToPort: 5432, GroupId: "sg-fn"}}})
	svc.PutResource(lambda.Resource{
		Name: "rds-proxy.internal", Port: 5432, VpcId: "vpc-1", SecurityGroupIds: []string{"sg-proxy"},
		Serve: func(c net.Conn) { fmt.Fprintln(c, "PostgreSQL ready") },
	})

	svc.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: "orders",
		Handler: lambda.Handler(func(ctx context.Context) (string, error) {
			conn, err := lambda.Dial(ctx, "rds-proxy.internal:5432")
			if err != nil {
				return err.Error(), nil
			}
			defer conn.Close()
			return bufio.NewReader(conn).ReadString('\n')
		}),
	})
	f := svc.Function("orders")
	out, _ := f.Invoke(ctx, nil)
	fmt.Printf("%s\n", out)

	svc.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{
		FunctionName: "orders",
		VpcConfig:    &lambda.VpcConfig{SubnetIds: []string{"subnet-a"}, SecurityGroupIds: []string{"sg-fn"}},
	})
	out, _ = f.Invoke(ctx, nil)
	fmt.Printf("%s\n", out)
	// Output:
	// "dial rds-proxy.internal:5432: function is not in a VPC, and rds-proxy.internal is private to vpc-1"
	// "PostgreSQL ready\n"
}

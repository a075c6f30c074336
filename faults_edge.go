package minicloud

import (
	"context"

	"github.com/minicloud/minicloud/edge"
)

// edgeFaults gives the account's fault rules to its CloudFront: Operation
// "Origin", Resource "distributionId originId". A FaultError with a Code
// makes the origin answer the code's status (or StatusCode) with Message
// as its body; FaultCrash makes the origin unreachable (502); FaultTimeout
// makes it never answer (504 at its response timeout); Latency delays it.
func edgeFaults(f *Faults) edge.FaultFunc {
	return func(ctx context.Context, distributionID, originID string) edge.Fault {
		fr := f.fire(Call{Service: ServiceCloudFront, Operation: "Origin", Resource: distributionID + " " + originID},
			FaultError, FaultTimeout, FaultCrash)
		if fr == nil {
			return edge.Fault{}
		}
		ef := edge.Fault{Delay: fr.f.Latency}
		switch {
		case fr.f.Kind == FaultCrash:
			ef.Unreachable = true
		case fr.f.Kind == FaultTimeout:
			ef.Timeout = true
		case fr.f.Code != "":
			e := fr.err()
			ef.StatusCode, ef.Body = e.StatusCode, []byte(e.Message)
		}
		return ef
	}
}

package minicloud

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/minicloud/minicloud/apigw"
)

// apigwFaults gives the account's fault rules to its API Gateway:
// Operation "Integration", Resource "apiId routeKey". A FaultError with
// Code TooManyRequestsException is API Gateway's throttle (429); with
// another Code, the integration answers with the code's status (or
// StatusCode) and {"message": Message}, as a failing backend; with no
// Code, only its Latency delays the integration. FaultTimeout makes the
// integration never answer (504 at the integration timeout); FaultCrash
// makes it fail to run (500 Internal server error).
func apigwFaults(f *Faults) apigw.FaultFunc {
	return func(ctx context.Context, apiID, routeKey string) apigw.Fault {
		fr := f.fire(Call{Service: ServiceAPIGateway, Operation: "Integration", Resource: apiID + " " + routeKey},
			FaultError, FaultTimeout, FaultCrash)
		if fr == nil {
			return apigw.Fault{}
		}
		af := apigw.Fault{Delay: fr.f.Latency}
		switch {
		case fr.f.Kind == FaultTimeout:
			af.Timeout = true
		case fr.f.Kind == FaultCrash:
			af.Err = errors.New("injected fault " + fr.id + ": the integration failed")
		case fr.f.Code == "TooManyRequestsException" && fr.f.StatusCode == 0:
			af.Throttle = true
		case fr.f.Code != "":
			e := fr.err()
			body, _ := json.Marshal(map[string]string{"message": e.Message})
			af.Response = &apigw.Response{StatusCode: e.StatusCode, Header: http.Header{"Content-Type": {"application/json"}}, Body: body}
		}
		return af
	}
}

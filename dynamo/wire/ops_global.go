package wire

import (
	"net/http"
	"strings"
	"sync"

	"github.com/minicloud/minicloud/dynamo"
)

// Global tables: UpdateTable's ReplicaUpdates, DescribeTable's Replicas,
// and one endpoint for every region of an account.

// replicaUpdates reads UpdateTable's ReplicaUpdates list.
func (d *decoder) replicaUpdates(v *node) []dynamo.ReplicationGroupUpdate {
	out := []dynamo.ReplicationGroupUpdate{}
	d.list(v, func(i int, e *node) {
		path := pathAt("replicaUpdates", i)
		var u dynamo.ReplicationGroupUpdate
		d.structure(e, func(name string, v *node) {
			switch name {
			case "Create":
				c := &dynamo.CreateReplicationGroupMemberAction{}
				d.structure(v, func(name string, v *node) {
					switch name {
					case "RegionName":
						c.RegionName = d.str(v)
					case "TableClassOverride":
						c.TableClassOverride = dynamo.TableClass(d.str(v))
					case "KMSMasterKeyId", "ProvisionedThroughputOverride", "OnDemandThroughputOverride", "GlobalSecondaryIndexes":
						// Accepted and not modelled: replicas share the
						// table's capacity settings and indexes.
					}
				})
				d.required(path+".create.regionName", c.RegionName != "")
				u.Create = c
			case "Delete":
				del := &dynamo.DeleteReplicationGroupMemberAction{}
				d.structure(v, func(name string, v *node) {
					if name == "RegionName" {
						del.RegionName = d.str(v)
					}
				})
				d.required(path+".delete.regionName", del.RegionName != "")
				u.Delete = del
			case "Update":
				d.invalid("minicloud does not support ReplicaUpdates Update: replicas share the table's settings")
			}
		})
		out = append(out, u)
	})
	return out
}

// replicasAndRestore writes a table's global table and restore members.
func (w *writer) replicasAndRestore(t *dynamo.TableDescription) {
	w.stringField("GlobalTableVersion", t.GlobalTableVersion)
	if t.Replicas != nil {
		w.key("Replicas")
		w.beginArray()
		for _, r := range t.Replicas {
			w.beginObject()
			w.stringField("RegionName", r.RegionName)
			w.stringField("ReplicaStatus", string(r.ReplicaStatus))
			if c := r.ReplicaTableClassSummary; c != nil {
				w.key("ReplicaTableClassSummary")
				w.beginObject()
				w.stringField("TableClass", string(c.TableClass))
				w.endObject()
			}
			w.endObject()
		}
		w.endArray()
	}
	w.restoreSummary(t.RestoreSummary)
}

// RegionRouter serves every region of a [dynamo.Account] on one endpoint,
// as AWS serves each region on its own: a request goes to the region its
// SigV4 credential scope names (the SDK's configured region), or to
// DefaultRegion when it is unsigned. Each region gets its own [Handler]
// with opts, its Region set.
type RegionRouter struct {
	account       *dynamo.Account
	opts          Options
	defaultRegion string

	mu       sync.Mutex
	handlers map[string]*Handler
}

// NewRegionRouter returns a router over the account's regions;
// opts.Region is the region of unsigned requests (default us-east-1).
func NewRegionRouter(account *dynamo.Account, opts Options) *RegionRouter {
	def := opts.Region
	if def == "" {
		def = "us-east-1"
	}
	return &RegionRouter{account: account, opts: opts, defaultRegion: def, handlers: map[string]*Handler{}}
}

// Handler returns the handler of one region, or nil for a name that is
// not a region.
func (rr *RegionRouter) Handler(region string) *Handler {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	if h := rr.handlers[region]; h != nil {
		return h
	}
	db := rr.account.Region(region)
	if db == nil {
		return nil
	}
	o := rr.opts
	o.Region = region
	h := NewHandler(db, o)
	rr.handlers[region] = h
	return h
}

// ServeHTTP routes the request by its credential scope's region.
func (rr *RegionRouter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	region := scopeRegion(r.Header.Get("Authorization"))
	if region == "" {
		region = rr.defaultRegion
	}
	h := rr.Handler(region)
	if h == nil {
		// Not a region: the default region's handler answers, and its
		// signature check refuses the scope as AWS would.
		h = rr.Handler(rr.defaultRegion)
	}
	h.ServeHTTP(w, r)
}

// scopeRegion reads the region of an AWS4-HMAC-SHA256 Authorization
// header: Credential=AKID/date/region/service/aws4_request.
func scopeRegion(auth string) string {
	i := strings.Index(auth, "Credential=")
	if i < 0 {
		return ""
	}
	cred := auth[i+len("Credential="):]
	if j := strings.IndexAny(cred, ", "); j >= 0 {
		cred = cred[:j]
	}
	parts := strings.Split(cred, "/")
	if len(parts) != 5 {
		return ""
	}
	return parts[2]
}

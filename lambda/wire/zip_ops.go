package wire

import (
	"context"
	"net/http"

	"github.com/minicloud/minicloud/lambda"
)

// fromZip reports whether a CreateFunction runs the bootstrap of its
// .zip: a Zip function of an OS-only runtime whose Handler names no
// registered Go code.
func (h *Handler) fromZip(handler, runtime, packageType string, code *functionCode) bool {
	if c := h.opts.Handlers[handler]; c != nil {
		return false
	}
	return packageType != lambda.PackageTypeImage && isOSOnly(runtime) && code != nil && len(code.ZipFile) > 0
}

// createFromZip extracts the .zip of a CreateFunction and creates the
// function with its bootstrap as a process (lambda.ProcessHandler).
func (h *Handler) createFromZip(ctx context.Context, in *lambda.CreateFunctionInput, handler string) (*response, error) {
	h.codeMu.Lock()
	defer h.codeMu.Unlock()
	defer h.collectCode()
	p, ok, err := h.pkgs.unpack(in.Code.ZipFile, h.svc.Limits())
	if err != nil {
		return nil, err
	}
	if !ok {
		// Over a package quota: the service refuses it with its own error.
		in.Handler = lambda.InitHandler(missingBootstrap)
		if _, err := h.svc.CreateFunction(ctx, in); err != nil {
			return nil, err
		}
		return nil, lambda.ErrService.New("a package over its quota was not refused")
	}
	in.Handler = p.code(handler)
	out, err := h.svc.CreateFunction(ctx, in)
	if err != nil {
		return nil, err
	}
	h.pkgs.use(out.FunctionName, p.hash)
	return jsonResponse(http.StatusCreated, toWire(&out.FunctionConfiguration))
}

// updateFromZip replaces a function's code with the package of an
// UpdateFunctionCode: a function of an OS-only runtime then runs the
// new bootstrap. A function running Go code keeps it when the .zip holds
// no bootstrap (the .zip then counts for its sizes only). ok is false
// when the update is not one of these and takes the ordinary path.
func (h *Handler) updateFromZip(ctx context.Context, in *lambda.UpdateFunctionCodeInput) (res *response, ok bool, err error) {
	h.codeMu.Lock()
	defer h.codeMu.Unlock()
	defer h.collectCode()
	cur, err := h.svc.GetFunctionConfiguration(ctx, &lambda.GetFunctionInput{FunctionName: in.FunctionName})
	if err != nil {
		return nil, true, err
	}
	if cur.PackageType != lambda.PackageTypeZip || !isOSOnly(cur.Runtime) {
		return nil, false, nil
	}
	p, fits, err := h.pkgs.unpack(in.Code.ZipFile, h.svc.Limits())
	if err != nil {
		return nil, true, err
	}
	if !fits {
		return nil, false, nil // the service refuses it
	}
	if !p.bootstrap && !h.pkgs.runs(cur) {
		return nil, false, nil
	}
	handler := cur.Handler
	if handler == missingBootstrapName {
		handler = BootstrapName
	}
	in.Handler = p.code(handler)
	out, err := h.svc.UpdateFunctionCode(ctx, in)
	if err != nil {
		return nil, true, err
	}
	h.pkgs.use(out.FunctionName, p.hash)
	res, err = jsonResponse(http.StatusOK, toWire(out))
	return res, true, err
}

// missingBootstrapName is the Handler name of missingBootstrap's code.
var missingBootstrapName = lambda.InitHandler(missingBootstrap).Name()

// runs reports whether a function's $LATEST runs a package extracted
// here.
func (cs *codeStore) runs(c *lambda.FunctionConfiguration) bool {
	x, ok := hexHash(c.CodeSha256)
	if !ok {
		return false
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return cs.uses[c.FunctionName][x]
}

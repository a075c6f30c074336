// Package awserr is minicloud's one error model: an error that carries an
// AWS error code, a message and the HTTP status code a wire handler answers
// with. Every service package exposes it as its own Error type (a type
// alias), so one errors.As reads the code of an error from any service.
package awserr

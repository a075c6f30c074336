package picture

import (
	"testing"
	"time"
)

func BenchmarkFormatNumber(b *testing.B) {
	for b.Loop() {
		if _, err := FormatNumber(1234567.891, "#,##0.00", nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFormatIntegerWords(b *testing.B) {
	for b.Loop() {
		if _, err := FormatInteger(1234567, "w;o"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFormatDateTimeISO(b *testing.B) {
	for b.Loop() {
		if _, err := FormatDateTime(1521801216617, "", "+0100"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseDateTimeISO(b *testing.B) {
	for b.Loop() {
		if _, ok, err := ParseDateTime("2018-03-27T14:03:00.123Z", ""); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

func BenchmarkParseDateTimePicture(b *testing.B) {
	now := time.Date(2021, 6, 15, 8, 30, 0, 0, time.UTC)
	for b.Loop() {
		if _, ok, err := ParseDateTimeAt("27th April 2008 10:15", "[D1o] [MNn] [Y0001] [H]:[m]", now); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

package dynamo

import "testing"

// Benchmarks for the hot paths: parsing a typical condition and update (done
// once per request) and evaluating or applying them (done per item).

var (
	benchNames  = map[string]string{"#st": "status", "#c": "count"}
	benchValues = map[string]AttributeValue{
		":active": S("active"), ":zero": N("0"), ":one": N("1"), ":prefix": S("order#"),
		":lo": N("10"), ":hi": N("99.5"), ":now": S("2024-01-01T00:00:00Z"),
		":t": L{S("new")}, ":ss": SS{"web"},
	}
	benchExprItem = Item{
		"pk": S("user#1"), "sk": S("order#0042"), "status": S("active"),
		"price": N("42.5"), "tags": L{S("a"), S("b")}, "count": N("7"),
		"tmp": S("x"), "seen": SS{"app"}, "address": M{"city": S("Paris"), "zip": S("75001")},
	}
)

const (
	benchCondition = "attribute_exists(pk) AND #st = :active AND (size(tags) > :zero OR begins_with(sk, :prefix)) AND price BETWEEN :lo AND :hi"
	benchUpdate    = "SET #c = if_not_exists(#c, :zero) + :one, updatedAt = :now, tags = list_append(tags, :t) REMOVE tmp ADD seen :ss"
)

func BenchmarkExprCondition(b *testing.B) {
	b.Run("parse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := newExprContext(benchNames, benchValues).parseCondition("ConditionExpression", benchCondition); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("eval", func(b *testing.B) {
		cond, err := newExprContext(benchNames, benchValues).parseCondition("ConditionExpression", benchCondition)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if !cond.eval(benchExprItem) {
				b.Fatal("condition is false")
			}
		}
	})
}

func BenchmarkExprUpdate(b *testing.B) {
	b.Run("parse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := newExprContext(benchNames, benchValues).parseUpdate(benchUpdate); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("apply", func(b *testing.B) {
		u, err := newExprContext(benchNames, benchValues).parseUpdate(benchUpdate)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := u.apply(benchExprItem); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkExprProjection(b *testing.B) {
	p, err := newExprContext(nil, nil).parseProjection("pk, sk, address.city, tags[1]")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if len(p.apply(benchExprItem)) != 4 {
			b.Fatal("projection lost attributes")
		}
	}
}

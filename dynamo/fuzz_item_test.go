package dynamo

import (
	"context"
	"errors"
	"testing"
)

// valueFromBytes builds an arbitrary, possibly invalid, attribute value
// from fuzz input, so the fuzzer explores every type, empty values,
// duplicates, odd numbers and deep nesting.
func valueFromBytes(data []byte, depth int) (AttributeValue, []byte) {
	if len(data) == 0 {
		return nil, data
	}
	op, data := data[0], data[1:]
	take := func() string {
		if len(data) == 0 {
			return ""
		}
		n := int(data[0]) % 12
		data = data[1:]
		if n > len(data) {
			n = len(data)
		}
		s := string(data[:n])
		data = data[n:]
		return s
	}
	switch op % 12 {
	case 0:
		return S(take()), data
	case 1:
		return N(take()), data
	case 2:
		return B(take()), data
	case 3:
		return BOOL(len(data)%2 == 0), data
	case 4:
		return NULL{}, data
	case 5, 6:
		if depth > 40 {
			return S("x"), data
		}
		var l L
		for i := 0; i < 3 && len(data) > 0; i++ {
			var v AttributeValue
			v, data = valueFromBytes(data, depth+1)
			l = append(l, v)
		}
		if op%12 == 6 {
			m := M{}
			for i, v := range l {
				m[string(rune('a'+i))] = v
			}
			return m, data
		}
		return l, data
	case 7:
		return SS{take(), take()}, data
	case 8:
		return NS{take(), take()}, data
	case 9:
		return BS{[]byte(take())}, data
	case 10:
		return SS{}, data
	default:
		return nil, data
	}
}

// FuzzPutItem writes fuzz-built items: every outcome is a success that
// reads back, or a ValidationException that wrote nothing, never a panic.
func FuzzPutItem(f *testing.F) {
	f.Add([]byte{0, 3, 'a', 'b', 'c', 1, 2, '1', '2'})
	f.Add([]byte{1, 4, '1', 'e', '9', '9', 5, 5, 5, 5, 5, 5})
	f.Add([]byte{7, 1, 'x', 1, 'x', 8, 1, '1', 3, '1', '.', '0'})
	f.Add([]byte{6, 0, 1, 'z', 2, 2, 0, 0})
	db, _ := newTestDB(f)
	compositeTable(f, db)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, data []byte) {
		item := Item{"pk": S("p"), "sk": N("1")}
		for i := 0; len(data) > 0 && i < 8; i++ {
			var v AttributeValue
			v, data = valueFromBytes(data, 0)
			item[string(rune('a'+i))] = v
		}
		if _, err := db.DeleteItem(ctx, &DeleteItemInput{TableName: "orders", Key: Item{"pk": S("p"), "sk": N("1")}}); err != nil {
			t.Fatal(err)
		}
		_, err := db.PutItem(ctx, &PutItemInput{TableName: "orders", Item: item})
		got, gerr := db.GetItem(ctx, &GetItemInput{TableName: "orders", Key: Item{"pk": S("p"), "sk": N("1")}})
		if gerr != nil {
			t.Fatal(gerr)
		}
		if err != nil {
			if !errors.Is(err, ErrValidation) {
				t.Fatalf("PutItem error is not a ValidationException: %v", err)
			}
			if got.Item != nil {
				t.Fatalf("a rejected PutItem wrote %v", got.Item)
			}
			return
		}
		if len(got.Item) != len(item) {
			t.Fatalf("wrote %d attributes, read %d", len(item), len(got.Item))
		}
	})
}

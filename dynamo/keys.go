package dynamo

import (
	"encoding/binary"
	"hash/fnv"
	"math/bits"
)

// Stored items are ordered in a btree by an encoded key:
//
//	hash(partition key) | escaped partition key | escaped sort key
//
// The 8-byte hash first makes a Scan walk partitions in hash order, as
// DynamoDB's does, and lets parallel Scan segments be hash ranges; the
// escaped values keep every item of one partition together, ordered by
// sort key as DynamoDB orders them (numbers numerically, strings and
// binaries by unsigned bytes). Each value is escaped (0x00 becomes
// 0x00 0xFF) and ends in 0x00 0x01, so an encoding is never a prefix of
// another and concatenations keep their order.

// appendKeyValue appends the escaped, order-preserving encoding of a key
// value (S, N or B).
func appendKeyValue(dst []byte, v AttributeValue) []byte {
	var raw []byte
	switch v := v.(type) {
	case S:
		raw = []byte(v)
	case B:
		raw = v
	case N:
		raw = appendNumberKey(nil, string(v))
	}
	for _, c := range raw {
		if c == 0 {
			dst = append(dst, 0, 0xFF)
			continue
		}
		dst = append(dst, c)
	}
	return append(dst, 0, 1)
}

// partitionHash is the 64-bit hash that places a partition key.
func partitionHash(v AttributeValue) uint64 {
	h := fnv.New64a()
	h.Write([]byte(v.Type()))
	h.Write(appendKeyValue(nil, v))
	return h.Sum64()
}

// appendPartition appends the hash and the escaped partition key.
func appendPartition(dst []byte, v AttributeValue) []byte {
	dst = binary.BigEndian.AppendUint64(dst, partitionHash(v))
	return appendKeyValue(dst, v)
}

// encodeKey returns the btree key of an item under schema s. The item must
// hold valid key attributes.
func (s schema) encodeKey(item Item) string {
	buf := make([]byte, 0, 64)
	buf = appendPartition(buf, item[s.hash.name])
	if s.hasRange() {
		buf = appendKeyValue(buf, item[s.rng.name])
	}
	return string(buf)
}

// segmentBounds returns the first hash of a parallel Scan segment and the
// first hash after it (end is 0 with last set for the final segment).
func segmentBounds(segment, total int) (start uint64, end uint64, last bool) {
	start, _ = bits.Div64(uint64(segment), 0, uint64(total))
	if segment+1 == total {
		return start, 0, true
	}
	end, _ = bits.Div64(uint64(segment+1), 0, uint64(total))
	return start, end, false
}

// hashPrefix returns the 8-byte big-endian form of h, the smallest key of
// that hash.
func hashPrefix(h uint64) string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], h)
	return string(b[:])
}

// keySize is the size DynamoDB counts for a key value against the key
// limits: UTF-8 bytes of a string, bytes of a binary, and the stored size
// of a number.
func keySize(v AttributeValue) int {
	switch v := v.(type) {
	case S:
		return len(v)
	case B:
		return len(v)
	default:
		return valueSize(v)
	}
}

// checkKeyValue validates one key attribute of an item or Key parameter.
// mismatch builds the error for a missing value or a wrong type.
func (db *DB) checkKeyValue(def keyDef, isRange bool, v AttributeValue, mismatch func(actual string) error) error {
	if v == nil {
		return mismatch("")
	}
	if v.Type() != string(def.typ) {
		return mismatch(v.Type())
	}
	switch v := v.(type) {
	case S:
		if len(v) == 0 {
			return ErrValidation.Newf("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: %s", def.name)
		}
	case B:
		if len(v) == 0 {
			return ErrValidation.Newf("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: %s", def.name)
		}
	}
	size := keySize(v)
	if !isRange && size > db.limits.MaxPartitionKeySize {
		return ErrValidation.Newf("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of%d bytes", db.limits.MaxPartitionKeySize)
	}
	if isRange && size > db.limits.MaxSortKeySize {
		return ErrValidation.Newf("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of %d bytes", db.limits.MaxSortKeySize)
	}
	return nil
}

// checkItemKey validates the primary key attributes of a whole item (the
// Item of PutItem).
func (t *table) checkItemKey(item Item) error {
	check := func(def keyDef, isRange bool) error {
		return t.db.checkKeyValue(def, isRange, item[def.name], func(actual string) error {
			if actual == "" {
				return ErrValidation.Newf("One or more parameter values were invalid: Missing the key %s in the item", def.name)
			}
			return ErrValidation.Newf("One or more parameter values were invalid: Type mismatch for key %s expected: %s actual: %s", def.name, def.typ, actual)
		})
	}
	if err := check(t.key.hash, false); err != nil {
		return err
	}
	if t.key.hasRange() {
		return check(t.key.rng, true)
	}
	return nil
}

// cleanKey validates a Key parameter, exactly the table's key attributes
// of the right types, and returns a clean copy of it.
func (t *table) cleanKey(key Item) (Item, error) {
	if err := t.checkKey(key); err != nil {
		return nil, err
	}
	return cleanItem(key)
}

// checkKey validates a Key parameter: exactly the table's key attributes,
// of the right types.
func (t *table) checkKey(key Item) error {
	want := 1
	if t.key.hasRange() {
		want = 2
	}
	mismatch := func(string) error {
		return ErrValidation.New("The provided key element does not match the schema")
	}
	if len(key) != want {
		return mismatch("")
	}
	if err := t.db.checkKeyValue(t.key.hash, false, key[t.key.hash.name], mismatch); err != nil {
		return err
	}
	if t.key.hasRange() {
		return t.db.checkKeyValue(t.key.rng, true, key[t.key.rng.name], mismatch)
	}
	return nil
}

// keyOf returns the primary key attributes of an item.
func (s schema) keyOf(item Item) Item {
	k := Item{s.hash.name: item[s.hash.name]}
	if s.hasRange() {
		k[s.rng.name] = item[s.rng.name]
	}
	return k
}

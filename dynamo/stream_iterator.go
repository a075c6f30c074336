package dynamo

import (
	"encoding/base64"
	"encoding/binary"
	"hash/fnv"
	"strings"
	"time"
)

// A shard iterator is opaque to its reader. Like DynamoDB's, it starts
// with the stream's ARN; then comes "|1|" and, in unpadded URL-safe
// base64, the position: a version byte, the sequence number after which
// reading resumes, the reader it belongs to, the time it was issued, the
// shard ID and a checksum over all of it. Nothing is kept on the server
// per iterator, so iterators cost nothing until they are used, and a
// damaged one is refused as invalid rather than misread.

// maxIteratorLen is the longest ShardIterator DynamoDB Streams accepts.
const maxIteratorLen = 2048

const iteratorVersion = 1

// iteratorPos is what an iterator says.
type iteratorPos struct {
	shard  string
	after  uint64 // read records with greater sequence numbers
	reader uint64
	issued time.Time
}

// encodeIterator writes pos as an iterator of the stream arn.
func encodeIterator(arn string, pos iteratorPos) string {
	buf := make([]byte, 0, 32+len(pos.shard))
	buf = append(buf, iteratorVersion)
	buf = binary.AppendUvarint(buf, pos.after)
	buf = binary.AppendUvarint(buf, pos.reader)
	buf = binary.AppendVarint(buf, pos.issued.UnixNano())
	buf = binary.AppendUvarint(buf, uint64(len(pos.shard)))
	buf = append(buf, pos.shard...)
	buf = binary.BigEndian.AppendUint32(buf, iteratorChecksum(arn, buf))
	return arn + "|1|" + base64.RawURLEncoding.EncodeToString(buf)
}

func iteratorChecksum(arn string, body []byte) uint32 {
	h := fnv.New32a()
	h.Write([]byte(arn))
	h.Write(body)
	return h.Sum32()
}

// decodeIterator reads an iterator written by encodeIterator; ok is false
// for anything else.
func decodeIterator(it string) (arn string, pos iteratorPos, ok bool) {
	if len(it) == 0 || len(it) > maxIteratorLen {
		return "", pos, false
	}
	arn, rest, found := strings.Cut(it, "|1|")
	if !found || arn == "" {
		return "", pos, false
	}
	buf, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil || len(buf) < 5 {
		return "", pos, false
	}
	body, sum := buf[:len(buf)-4], binary.BigEndian.Uint32(buf[len(buf)-4:])
	if iteratorChecksum(arn, body) != sum || body[0] != iteratorVersion {
		return "", pos, false
	}
	b := body[1:]
	var n int
	if pos.after, n = binary.Uvarint(b); n <= 0 {
		return "", pos, false
	}
	b = b[n:]
	if pos.reader, n = binary.Uvarint(b); n <= 0 {
		return "", pos, false
	}
	b = b[n:]
	issued, n := binary.Varint(b)
	if n <= 0 {
		return "", pos, false
	}
	b = b[n:]
	size, n := binary.Uvarint(b)
	if n <= 0 || size != uint64(len(b)-n) {
		return "", pos, false
	}
	pos.shard = string(b[n:])
	pos.issued = time.Unix(0, issued)
	return arn, pos, true
}

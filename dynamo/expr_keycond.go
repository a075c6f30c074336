package dynamo

import "fmt"

// A key condition expression uses the condition grammar, restricted to
// what a Query can use: one equality on the partition key and optionally
// one condition on the sort key, combined with AND:
//
//	pk = :v
//	pk = :v AND sk op :w        (op: = < <= > >=, in either operand order)
//	pk = :v AND sk BETWEEN :a AND :b
//	pk = :v AND begins_with(sk, :p)
//
// OR, NOT, IN, <>, functions other than begins_with, size(), nested paths
// and two conditions on one attribute are rejected. Which attribute is the
// partition key is only known from the table's key schema, which the
// caller checks with bind.

// keyCondition is a parsed KeyConditionExpression.
type keyCondition struct {
	// partitionName and partitionValue are the equality condition the
	// expression most likely puts on the partition key: the only
	// equality, or the first of two. Empty when no condition is an
	// equality or there are more than two conditions.
	partitionName  string
	partitionValue AttributeValue
	// sort is the other condition, nil when absent.
	sort *sortCondition
	// conds holds every condition as written, in source order, with the
	// attribute name on the left (":v < sk" reads as "sk > :v").
	conds []sortCondition
}

// sortCondition is one condition on a key attribute.
type sortCondition struct {
	name   string
	op     string           // "=", "<", "<=", ">", ">=", "BETWEEN", "begins_with"
	values []AttributeValue // 1, or 2 for BETWEEN
}

// flipped is the comparator with its operands swapped.
var flipped = map[string]string{"=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}

// parseKeyCondition parses a KeyConditionExpression. Errors are
// ValidationExceptions in DynamoDB's words; the checks against the key
// schema are bind's.
func (c *exprContext) parseKeyCondition(expr string) (*keyCondition, error) {
	const kind = "KeyConditionExpression"
	root, err := c.parseConditionTree(kind, expr)
	if err != nil {
		return nil, err
	}
	k := &keyCondition{}
	if err := k.collect(root); err != nil {
		return nil, err
	}
	var part, sort = -1, -1
	switch {
	case len(k.conds) == 1 && k.conds[0].op == "=":
		part = 0
	case len(k.conds) == 2 && k.conds[0].op == "=":
		part, sort = 0, 1
	case len(k.conds) == 2 && k.conds[1].op == "=":
		part, sort = 1, 0
	}
	if part >= 0 {
		k.partitionName, k.partitionValue = k.conds[part].name, k.conds[part].values[0]
	}
	if sort >= 0 {
		k.sort = &k.conds[sort]
	}
	return k, nil
}

func keyError(format string, args ...any) error {
	return exprError("KeyConditionExpression", format, args...)
}

// collect walks the AND tree of key conditions in source order.
func (k *keyCondition) collect(n *condNode) error {
	switch n.kind {
	case cAnd:
		if err := k.collect(n.sub[0]); err != nil {
			return err
		}
		return k.collect(n.sub[1])
	case cOr:
		return keyError("Invalid operator used in KeyConditionExpression: OR")
	case cNot:
		return keyError("Invalid operator used in KeyConditionExpression: NOT")
	case cIn:
		return keyError("Invalid operator used in KeyConditionExpression: IN")
	}
	op, args := n.op, n.args
	switch n.kind {
	case cCmp:
		if op == "<>" {
			return keyError("Invalid operator used in KeyConditionExpression: <>")
		}
	case cBetween:
		op = "BETWEEN"
	case cFunc:
		f := n.args[0]
		if f.name != "begins_with" {
			return keyError("Invalid operator used in KeyConditionExpression: %s", f.name)
		}
		op, args = f.name, f.args
	}
	if n.kind != cCmp && args[0].kind != oPath {
		return keyError("Invalid condition in KeyConditionExpression: %s operator must have the key attribute as its first operand", op)
	}
	var name string
	var at int
	for i, a := range args {
		switch a.kind {
		case oPath:
			if name != "" {
				return keyError("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition")
			}
			if len(a.path) > 1 {
				return keyError("KeyConditionExpressions cannot have conditions on nested attributes")
			}
			name, at = a.path[0].name, i
		case oFunc:
			return keyError("KeyConditionExpressions cannot contain nested operations")
		}
	}
	if name == "" {
		return keyError("Invalid condition in KeyConditionExpression: No key attribute specified")
	}
	for _, prev := range k.conds {
		if prev.name == name {
			return keyError("KeyConditionExpressions must only contain one condition per key")
		}
	}
	if at != 0 {
		op = flipped[op]
	}
	cond := sortCondition{name: name, op: op}
	for i, a := range args {
		if i != at {
			cond.values = append(cond.values, a.val)
		}
	}
	k.conds = append(k.conds, cond)
	return nil
}

// bind matches the conditions to a key schema (rangeKey empty for a
// partition-key-only schema) and returns them with partitionName, its
// value and sort set accordingly, or DynamoDB's error when they do not fit.
func (k *keyCondition) bind(hashKey, rangeKey string) (*keyCondition, error) {
	keys := 1
	if rangeKey != "" {
		keys = 2
	}
	if len(k.conds) > keys {
		return nil, ErrValidation.New(fmt.Sprintf("The number of query conditions (%d) exceeds the number of key attributes defined in the schema (%d)", len(k.conds), keys))
	}
	out := &keyCondition{conds: k.conds}
	var hash *sortCondition
	for i := range k.conds {
		switch k.conds[i].name {
		case hashKey:
			hash = &k.conds[i]
		case rangeKey:
			out.sort = &k.conds[i]
		}
	}
	if hash == nil {
		return nil, ErrValidation.Newf("Query condition missed key schema element: %s", hashKey)
	}
	if len(k.conds) == 2 && out.sort == nil {
		return nil, ErrValidation.Newf("Query condition missed key schema element: %s", rangeKey)
	}
	if hash.op != "=" {
		return nil, ErrValidation.New("Query key condition not supported")
	}
	out.partitionName, out.partitionValue = hash.name, hash.values[0]
	return out, nil
}

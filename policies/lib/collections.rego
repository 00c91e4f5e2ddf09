# METADATA
# title: Collection helpers
# description: >-
#   Asked of every statement and resource of a stack. In OPA's wasm, count()
#   allocates the number it returns, and nothing is freed until the
#   evaluation ends: "is it empty" is asked without counting.
package guardrails.lib.collections

# METADATA
# title: Not empty
# description: >-
#   True when the array, set or object holds an element (for a string,
#   never: use count).
nonempty(collection) if {
	some _ in collection
}

# METADATA
# title: Empty list
# description: >-
#   A default for object.get and else branches. A literal `[]`, `{}` or
#   `set()` in a rule body is built again each time the body runs; these are
#   built once per evaluation.
no_list := []

# METADATA
# title: Empty set
# description: The empty set, built once (see no_list).
no_set := set()

# METADATA
# title: Empty object
# description: The empty object, built once (see no_list).
no_object := {}

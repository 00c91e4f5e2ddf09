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

# METADATA
# title: Tests for guardrails.lib.collections
package guardrails.lib.collections_test

import data.guardrails.lib.collections

test_nonempty_collections if {
	collections.nonempty(["a"])
	collections.nonempty([false])
	collections.nonempty({"a"})
	collections.nonempty({"k": null})
}

test_empty_collections_and_strings if {
	not collections.nonempty([])
	not collections.nonempty(set())
	not collections.nonempty({})
	not collections.nonempty("text")
}

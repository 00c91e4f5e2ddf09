# METADATA
# title: Customer-managed KMS keys rotate their key material
# description: >-
#   A symmetric key that never rotates encrypts years of table data, backups
#   and logs with the same material, so a compromise of it exposes all of it.
#   Automatic rotation makes KMS create new material on a schedule while still
#   decrypting what older material encrypted. Asymmetric and HMAC keys, and
#   keys in a custom key store, cannot rotate automatically and are skipped.
# custom:
#   id: GR-ENC-002
#   severity: high
#   practice: "Gap: Protecting your data at rest (customer managed CMK) does not cover rotating the key"
package guardrails.rules.encryption.kms_rotation

import data.guardrails.lib.resources
import data.guardrails.lib.result

_symmetric_specs := {null, "", "SYMMETRIC_DEFAULT"}

findings contains result.finding(rego.metadata.chain(), key.address, concat("", [
	key.address, ": automatic rotation is off (enable_key_rotation is ", _text(object.get(key.values, "enable_key_rotation", null)),
	"), so the key's material never changes; set enable_key_rotation = true",
])) if {
	some address in _rotatable
	key := resources.by_address[address]
	not resources.unknown(key, "enable_key_rotation")
	object.get(key.values, "enable_key_rotation", null) != true
}

findings contains result.cannot_verify(rego.metadata.chain(), key.address, "enable_key_rotation") if {
	some address in _rotatable
	key := resources.by_address[address]
	resources.unknown(key, "enable_key_rotation")
}

# A plan that leaves the key spec unknown may be planning a symmetric key.
findings contains result.cannot_verify(rego.metadata.chain(), key.address, "customer_master_key_spec") if {
	some key in resources.of_type("aws_kms_key")
	resources.unknown(key, "customer_master_key_spec")
	object.get(key.values, "enable_key_rotation", null) != true
}

_rotatable contains key.address if {
	some key in resources.of_type("aws_kms_key")
	not resources.unknown(key, "customer_master_key_spec")
	object.get(key.values, "customer_master_key_spec", null) in _symmetric_specs
	object.get(key.values, "custom_key_store_id", null) in {null, ""}
}

_text(null) := "not set"

_text(value) := json.marshal(value) if value != null

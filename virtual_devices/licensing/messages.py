"""Every line the licensing agent prints or logs, in one place.

Wording marked "unconfirmed" was not seen on a real device.
"""

MESSAGES = {
    "install_success": "A new licensing authorization code was successfully installed on {udi}",
    "install_failed": "The install of a new licensing authorization code has failed on {udi}: {code}.",
    "export_allowed": "Usage of export controlled features is allowed for feature hseck9",
    "export_not_allowed": "Usage of export controlled features is not allowed",
    "trust_success": "A new licensing trust code was successfully installed on P:{pid},S:{sn}.",
    "reporting_required": "A Usage report acknowledgment will be required in {days} days.",
    "standby_not_authorized": "Standby is in 'not authorized' state for license hseck9",
    "agent_enabled": "Smart Agent for Licensing is enabled",
    "comm_failed": "Communications failure with the {peer} : Unable to resolve server hostname/domain name",
    "comm_restored": "Communications with the {peer} restored",
    # unconfirmed wording from here on
    "authorization_removed": "A licensing authorization code has been removed from {udi}",
    "hsec_rejected": (
        "Switch {switch} R0/0: cpp_ha_top_level_server: HSEC license not present:"
        " {feature} configuration is rejected"
    ),
    "dna_required": (
        "Switch {switch} R0/0: cpp_ha_top_level_server: DNA Advantage license not in use:"
        " {feature} configuration is rejected"
    ),
    "feature_unsupported": "% Error: Feature {feature} is not supported on this platform or release",
    "replace_in_use": (
        "% Error: The HSECK9 key is in use. Disable the cryptographic feature (or release the key with"
        " '{release}') before replacing the authorization code"
    ),
    "replace_svl": (
        "% Error: 'replace' is not supported in a StackWise Virtual setup. Return the authorization"
        " code, then request it for all again"
    ),
    "return_in_use": (
        "% Error: The HSECK9 key is in use. Disable the cryptographic feature (or release the key with"
        " '{release}') before returning the authorization code"
    ),
    "nothing_to_return": "No reservation authorization code installed in device",
    "no_pending_request": (
        "% Error: No authorization request pending. Enter 'license smart authorization request' first"
    ),
    "transport_off": "% Error: Transport type is 'off'; use the offline workflow (save, then import)",
    "import_failed": "% Error: Import Data Failed: {reason}",
    "not_found": "The requested item was not found",
    "factory_reset": '%Warning: reload required after "license smart factory reset" command',
    "boot_level": "% use 'write' command to make license boot config take effect on next boot",
    "hsec_released": "HSEC license is released",
    "registration_started": (
        "Registration process is in progress. Use the 'show license status' command to check the progress"
        " and result"
    ),
    "bad_token": "% Error: Invalid ID token",
    "registered": (
        "Smart Agent for Licensing Registration with the Cisco Smart Software Manager or satellite"
        " for udi {udi}"
    ),
    "authorized": (
        "Authorization renewal with the Cisco Smart Software Manager or satellite. State=Authorized"
        " for udi {udi}"
    ),
    "deregistered": "Smart Agent for Licensing DeRegistration with the CSSM or satellite for udi {udi}",
}

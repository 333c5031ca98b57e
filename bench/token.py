"""Prints an HS256 bearer token for an organisation, signed with the given secret (the service's token shape)."""
import base64
import hashlib
import hmac
import json
import sys
import time


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


secret, organisation = sys.argv[1], sys.argv[2]
roles = sys.argv[3:] if len(sys.argv) > 3 else []
header = {"alg": "HS256", "typ": "JWT"}
now = int(time.time())
claims = {"sub": "bench", "organisation_id": organisation, "iat": now, "exp": now + 7200, "aud": "authenticated"}
if roles:
    claims["roles"] = roles
signing_input = b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())
signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
print(signing_input + "." + b64(signature))

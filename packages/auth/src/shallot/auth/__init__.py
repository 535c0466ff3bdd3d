"""HTTP Digest (RFC 7616) and Basic (RFC 7617) authentication for WSGI applications.

- :class:`Authenticator`: WSGI middleware that challenges, verifies and sets ``REMOTE_USER``;
  :func:`check_digest` / :func:`check_basic` guard single handlers (``shallot.routing`` or any
  callable taking a :class:`shallot.http.Request`).
- :class:`DigestScheme` (MD5, MD5-sess, SHA-256, SHA-256-sess; qop ``auth`` and ``auth-int``;
  ``userhash``; stateless signed nonces from :class:`NonceManager`; replay protection through a
  :class:`NonceCounter`) and :class:`BasicScheme` (refused over plain HTTP unless allowed).
- :class:`UserStore` with :class:`DictUserStore`, :class:`HtdigestUserStore` and
  :class:`HtpasswdUserStore` (bcrypt, apr1, SHA-crypt, ``{SHA}``, plain), reloaded on change,
  and the machine's accounts through PAM (Basic only);
  :class:`PasswordMap` edits htdigest files, as does ``python -m shallot.auth passwd``.
- :class:`Realm`, :class:`AccessRules` and :class:`PathRule`: which realm a path belongs to and
  who may read or write there.
- :class:`RemoteAddressAccess`: allow or deny by IPv4/IPv6 address and network.

The Redis nonce counter lives in :mod:`shallot.auth.redis` (extra ``redis``) and the store of the
machine's accounts, :class:`~shallot.auth.pam.PAMUserStore`, in :mod:`shallot.auth.pam` (extra
``pam``), so importing this package never needs the Redis client or a PAM binding.
"""

from shallot.auth.__about__ import __version__ as __version__
from shallot.auth.basic_scheme import BasicScheme as BasicScheme
from shallot.auth.challenges import DigestChallenge as DigestChallenge
from shallot.auth.challenges import basic_challenge as basic_challenge
from shallot.auth.credentials import DigestCredentials as DigestCredentials
from shallot.auth.credentials import parse_digest_credentials as parse_digest_credentials
from shallot.auth.decorators import check_basic as check_basic
from shallot.auth.decorators import check_digest as check_digest
from shallot.auth.digest import DigestAlgorithm as DigestAlgorithm
from shallot.auth.digest import Qop as Qop
from shallot.auth.digest import compute_response as compute_response
from shallot.auth.digest import ha1 as ha1
from shallot.auth.digest import userhash as userhash
from shallot.auth.digest_scheme import DigestScheme as DigestScheme
from shallot.auth.errors import AuthError as AuthError
from shallot.auth.errors import DigestUnavailable as DigestUnavailable
from shallot.auth.errors import InvalidEntry as InvalidEntry
from shallot.auth.errors import MalformedCredentials as MalformedCredentials
from shallot.auth.errors import MissingExtra as MissingExtra
from shallot.auth.errors import PAMUnavailable as PAMUnavailable
from shallot.auth.errors import PasswordFileError as PasswordFileError
from shallot.auth.errors import UnsupportedHash as UnsupportedHash
from shallot.auth.htdigest import HtdigestUserStore as HtdigestUserStore
from shallot.auth.htpasswd import HtpasswdUserStore as HtpasswdUserStore
from shallot.auth.middleware import REALM_KEY as REALM_KEY
from shallot.auth.middleware import Authenticator as Authenticator
from shallot.auth.nonce_counts import MemoryNonceCounter as MemoryNonceCounter
from shallot.auth.nonce_counts import NonceCounter as NonceCounter
from shallot.auth.nonces import NonceCheck as NonceCheck
from shallot.auth.nonces import NonceManager as NonceManager
from shallot.auth.nonces import NonceStatus as NonceStatus
from shallot.auth.outcomes import Authenticated as Authenticated
from shallot.auth.outcomes import Failure as Failure
from shallot.auth.outcomes import FailureReason as FailureReason
from shallot.auth.password_map import PasswordMap as PasswordMap
from shallot.auth.passwords import HashScheme as HashScheme
from shallot.auth.passwords import identify_hash as identify_hash
from shallot.auth.passwords import verify_password as verify_password
from shallot.auth.realms import Realm as Realm
from shallot.auth.remote_address import Action as Action
from shallot.auth.remote_address import AddressRule as AddressRule
from shallot.auth.remote_address import RemoteAddressAccess as RemoteAddressAccess
from shallot.auth.remote_address import allow as allow
from shallot.auth.remote_address import deny as deny
from shallot.auth.rules import ANYONE as ANYONE
from shallot.auth.rules import AUTHENTICATED as AUTHENTICATED
from shallot.auth.rules import NOBODY as NOBODY
from shallot.auth.rules import Access as Access
from shallot.auth.rules import AccessPolicy as AccessPolicy
from shallot.auth.rules import AccessRules as AccessRules
from shallot.auth.rules import PathRule as PathRule
from shallot.auth.rules import Principals as Principals
from shallot.auth.rules import roles as roles
from shallot.auth.rules import users as users
from shallot.auth.schemes import AuthScheme as AuthScheme
from shallot.auth.schemes import authenticate as authenticate
from shallot.auth.schemes import failure_response as failure_response
from shallot.auth.stores import DictUserStore as DictUserStore
from shallot.auth.stores import UserStore as UserStore
from shallot.auth.stores import supports_digest as supports_digest

__all__ = [
    "ANYONE",
    "AUTHENTICATED",
    "NOBODY",
    "REALM_KEY",
    "Access",
    "AccessPolicy",
    "AccessRules",
    "Action",
    "AddressRule",
    "AuthError",
    "AuthScheme",
    "Authenticated",
    "Authenticator",
    "BasicScheme",
    "DictUserStore",
    "DigestAlgorithm",
    "DigestChallenge",
    "DigestCredentials",
    "DigestScheme",
    "DigestUnavailable",
    "Failure",
    "FailureReason",
    "HashScheme",
    "HtdigestUserStore",
    "HtpasswdUserStore",
    "InvalidEntry",
    "MalformedCredentials",
    "MemoryNonceCounter",
    "MissingExtra",
    "NonceCheck",
    "NonceCounter",
    "NonceManager",
    "NonceStatus",
    "PAMUnavailable",
    "PasswordFileError",
    "PasswordMap",
    "PathRule",
    "Principals",
    "Qop",
    "Realm",
    "RemoteAddressAccess",
    "UnsupportedHash",
    "UserStore",
    "__version__",
    "allow",
    "authenticate",
    "basic_challenge",
    "check_basic",
    "check_digest",
    "compute_response",
    "deny",
    "failure_response",
    "ha1",
    "identify_hash",
    "parse_digest_credentials",
    "roles",
    "supports_digest",
    "userhash",
    "users",
    "verify_password",
]

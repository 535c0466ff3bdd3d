"""shallot.caching: HTTP cache policies and profiles, a response cache, backends, gzip.

Wheezy's caching for Shallot: :class:`CachePolicy` writes the cache header fields of a response,
:class:`CacheProfile` names a caching decision (where, how long, keyed on what),
:func:`response_cache` applies one to a handler, and :class:`CacheMiddleware` (or
:func:`cache_middleware_factory` in an App's chain) answers repeated requests from a backend
without calling the application. Backends keep Wheezy's cache contract (:class:`Cache`):
:class:`MemoryCache` in process, :class:`RedisCache` and :class:`MemcachedCache` shared (their
clients are optional extras, imported when one is created). :class:`CacheDependency` invalidates
groups of entries; :func:`gzip_transform` compresses answers once, before they are cached.
"""

from shallot.caching.__about__ import __version__ as __version__
from shallot.caching.backend import Cache as Cache
from shallot.caching.backend import CacheError as CacheError
from shallot.caching.decorator import response_cache as response_cache
from shallot.caching.dependency import DEPENDENCY_ENVIRON_KEY as DEPENDENCY_ENVIRON_KEY
from shallot.caching.dependency import CacheDependency as CacheDependency
from shallot.caching.dependency import depends_on as depends_on
from shallot.caching.entry import CachedEntryResponse as CachedEntryResponse
from shallot.caching.entry import CachedResponse as CachedResponse
from shallot.caching.etags import etag_md5 as etag_md5
from shallot.caching.etags import etag_md5crc32 as etag_md5crc32
from shallot.caching.etags import make_etag as make_etag
from shallot.caching.etags import make_etag_crc32 as make_etag_crc32
from shallot.caching.gzip import accepts_gzip as accepts_gzip
from shallot.caching.gzip import gzip_transform as gzip_transform
from shallot.caching.memcached_backend import MemcachedCache as MemcachedCache
from shallot.caching.memory_backend import MemoryCache as MemoryCache
from shallot.caching.middleware import CACHE_OPTION as CACHE_OPTION
from shallot.caching.middleware import PROFILE_OPTION as PROFILE_OPTION
from shallot.caching.middleware import CacheMiddleware as CacheMiddleware
from shallot.caching.middleware import ChainCacheMiddleware as ChainCacheMiddleware
from shallot.caching.middleware import cache_middleware_factory as cache_middleware_factory
from shallot.caching.policy import CachePolicy as CachePolicy
from shallot.caching.policy import InvalidCachePolicy as InvalidCachePolicy
from shallot.caching.profile import NO_CACHE_PROFILE as NO_CACHE_PROFILE
from shallot.caching.profile import CacheProfile as CacheProfile
from shallot.caching.profile import InvalidCacheProfile as InvalidCacheProfile
from shallot.caching.redis_backend import RedisCache as RedisCache
from shallot.caching.resilient import ResilientCache as ResilientCache
from shallot.caching.resilient import resilient as resilient
from shallot.caching.store import POLICY_ENVIRON_KEY as POLICY_ENVIRON_KEY
from shallot.caching.store import PROFILE_ENVIRON_KEY as PROFILE_ENVIRON_KEY
from shallot.caching.store import ResponseStore as ResponseStore
from shallot.caching.vary import RequestVary as RequestVary

__all__ = [
    "CACHE_OPTION",
    "DEPENDENCY_ENVIRON_KEY",
    "NO_CACHE_PROFILE",
    "POLICY_ENVIRON_KEY",
    "PROFILE_ENVIRON_KEY",
    "PROFILE_OPTION",
    "Cache",
    "CacheDependency",
    "CacheError",
    "CacheMiddleware",
    "CachePolicy",
    "CacheProfile",
    "CachedEntryResponse",
    "CachedResponse",
    "ChainCacheMiddleware",
    "InvalidCachePolicy",
    "InvalidCacheProfile",
    "MemcachedCache",
    "MemoryCache",
    "RedisCache",
    "RequestVary",
    "ResilientCache",
    "ResponseStore",
    "__version__",
    "accepts_gzip",
    "cache_middleware_factory",
    "depends_on",
    "etag_md5",
    "etag_md5crc32",
    "gzip_transform",
    "make_etag",
    "make_etag_crc32",
    "resilient",
    "response_cache",
]

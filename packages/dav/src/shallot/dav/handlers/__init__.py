"""One module per WebDAV method; each ``handle(request)`` returns the WSGI response to send.

The :class:`~shallot.dav.request_server.RequestServer` picks the module by method. Handlers raise
:class:`~shallot.dav.errors.DAVError` for refusals; the error printer answers those.
"""

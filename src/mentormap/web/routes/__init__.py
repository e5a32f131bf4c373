"""Routes stay thin: parse the request, call a service, render a template."""

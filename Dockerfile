# kapta-mock container image.
#
#   docker build -t kapta-mock .
#   docker run --rm --read-only -p 8080:8080 kapta-mock
#
# The builder stage runs `make release`: the Swift runtime, libstdc++ and libnghttp2 are
# linked into the binary, so the runtime stage needs only glibc and libgcc, which
# debian:bookworm-slim already has. `make image-check` (scripts/check-runtime-image.sh)
# runs the same binary in a root file system holding only those libraries, read-only and
# as user 65532, because no Docker engine is available where this project is built.

# NOTE: the tag follows the toolchain the project is developed with (Swift 6.3.1 on
# Debian 12); the image itself has not been pulled here, so check that the tag exists.
ARG SWIFT_IMAGE=swift:6.3.1-bookworm

FROM ${SWIFT_IMAGE} AS builder
RUN apt-get update \
    && apt-get install -y --no-install-recommends libnghttp2-dev pkg-config make \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN make release && install -m 0755 -s .build-release/release/kapta-mock /kapta-mock

FROM debian:bookworm-slim
COPY --from=builder /kapta-mock /usr/local/bin/kapta-mock
# A numeric user needs no /etc/passwd entry and is not root inside the container.
USER 65532:65532
# The built-in configuration listens on 127.0.0.1; in a container it must be reachable
# from outside, so listen on every interface. Set KAPTA_MOCK_ADMIN_TOKEN when the port is
# reachable by anyone but the tests.
ENV KAPTA_MOCK_HOST=0.0.0.0 \
    KAPTA_MOCK_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD ["/usr/local/bin/kapta-mock", "healthcheck"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/kapta-mock"]

# apis-matcher service image. Build: docker build -t apis-matcher .
# Run against a Kafka cluster: docker run -e APIS_MATCHER_KAFKA_BOOTSTRAP_SERVERS=kafka:9092 -p 8080:8080 apis-matcher
# The build stage compiles the candidate stage (native/, Rust via setuptools-rust) into the
# wheel: it takes the Rust toolchain from the official rust image (both are Debian
# bookworm) and a C linker from Debian. The runtime stage needs neither.
FROM rust:1.86-slim-bookworm AS rust

FROM python:3.11-slim-bookworm AS build
COPY --from=rust /usr/local/cargo /usr/local/cargo
COPY --from=rust /usr/local/rustup /usr/local/rustup
ENV CARGO_HOME=/usr/local/cargo RUSTUP_HOME=/usr/local/rustup PATH=/usr/local/cargo/bin:$PATH
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libc6-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml README.md ./
COPY native ./native
COPY app ./app
COPY matchers ./matchers
COPY schemas ./schemas
COPY loadtest ./loadtest
RUN pip install --no-cache-dir --upgrade pip \
 && pip wheel --no-cache-dir --wheel-dir /wheels . \
 && python -m zipfile -l /wheels/apis_matcher-*.whl | grep -q 'matchers/_core' \
    || { echo "the wheel lacks the compiled candidate stage matchers._core" >&2; exit 1; }

FROM python:3.11-slim-bookworm
RUN useradd --system --uid 10001 --home-dir /srv apis
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER apis
WORKDIR /srv
ENV APIS_MATCHER_HOST=0.0.0.0 \
    APIS_MATCHER_PORT=8080 \
    PYTHONUNBUFFERED=1
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=2).status == 200 else 1)"
ENTRYPOINT ["apis-matcher"]
CMD ["serve"]

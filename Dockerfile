# apis-matcher service image. Build: docker build -t apis-matcher .
# Run against a Kafka cluster: docker run -e APIS_MATCHER_KAFKA_BOOTSTRAP_SERVERS=kafka:9092 -p 8080:8080 apis-matcher
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY app ./app
COPY matchers ./matchers
COPY schemas ./schemas
COPY loadtest ./loadtest
RUN pip install --no-cache-dir --upgrade pip \
 && pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
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

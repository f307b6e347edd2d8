# The two model files in an image, from ./models (never committed; docker/README.md, "Models").
# Both stages read only the build context and an image you already have:
#
#   # what Kubernetes' initContainer copies to the pods (docker/k8s/components/models):
#   docker build -f docker/models.Dockerfile --target models -t image-pipeline/models .
#   # an app image with the models baked in, PIPELINE_MODEL_DIR pointing at them:
#   docker build -f docker/models.Dockerfile --build-arg APP_IMAGE=image-pipeline/classifier-grpc \
#     -t image-pipeline/classifier-grpc:baked .
#
# NODE_IMAGE: as in docker/Dockerfile (`cat dist/container/base-image` names the one this machine uses).

ARG NODE_IMAGE=node:24.22-bookworm-slim
ARG APP_IMAGE=image-pipeline/classifier-grpc:latest

FROM ${NODE_IMAGE} AS models
COPY models/u2netp.onnx models/mobilenetv2-12-int8.onnx /models/
USER node

# The app image keeps its user, health check and entrypoint; only the models and their place are added.
FROM ${APP_IMAGE} AS baked
COPY --from=models /models/ /opt/models/
ENV PIPELINE_MODEL_DIR=/opt/models PIPELINE_MODEL_DOWNLOAD=false

"""Calls every imagepipeline.v1 service from Python (grpcio), as a client in another language would.

Usage: call_services.py STUBS_DIR CONFIG_JSON
  STUBS_DIR    where grpc_tools.protoc wrote imagepipeline/v1/pipeline_pb2{,_grpc}.py
  CONFIG_JSON  {"uploader": "host:port", "noise_reducer": ..., "background_remover": ...,
                "classifier": ..., "orchestrator": ..., "image": "/path/photo.jpg"}
Prints one JSON object describing what each call answered.
"""
import json
import struct
import sys

import grpc

sys.path.insert(0, sys.argv[1])
from imagepipeline.v1 import pipeline_pb2 as pb  # noqa: E402
from imagepipeline.v1 import pipeline_pb2_grpc as rpc  # noqa: E402

TIMEOUT_S = 60
MAX_MESSAGE = [("grpc.max_receive_message_length", 64 * 1024 * 1024)]


def png_header(data):
    """Width, height and colour type from a PNG's IHDR chunk (6 is RGBA)."""
    if data[1:4] != b"PNG":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return {"width": width, "height": height, "color_type": data[25]}


def describe(image):
    return {
        "format": image.format,
        "width": image.width,
        "height": image.height,
        "file_name": image.file_name,
        "png": png_header(image.data),
    }


def stub(stub_class, address):
    return stub_class(grpc.insecure_channel(address, options=MAX_MESSAGE))


def main():
    config = json.loads(sys.argv[2])
    with open(config["image"], "rb") as f:
        photo = pb.Image(data=f.read(), format="jpeg", file_name=config["image"].rsplit("/", 1)[-1])
    out = {}

    uploaded = stub(rpc.UploaderServiceStub, config["uploader"]).Upload(pb.UploadRequest(image=photo), timeout=TIMEOUT_S)
    out["upload"] = {"image": describe(uploaded.image), "upload_id": uploaded.upload_id, "compute_ms": uploaded.compute_ms}

    denoised = stub(rpc.NoiseReducerServiceStub, config["noise_reducer"]).ReduceNoise(
        pb.ReduceNoiseRequest(image=uploaded.image, kernel_size=5), timeout=TIMEOUT_S
    )
    out["reduce_noise"] = {"image": describe(denoised.image)}

    removed = stub(rpc.BackgroundRemoverServiceStub, config["background_remover"]).RemoveBackground(
        pb.RemoveBackgroundRequest(image=denoised.image), timeout=TIMEOUT_S
    )
    out["remove_background"] = {"image": describe(removed.image)}

    classified = stub(rpc.ClassifierServiceStub, config["classifier"]).Classify(
        pb.ClassifyRequest(image=denoised.image, top_k=3), timeout=TIMEOUT_S
    )
    out["classify"] = {"label": classified.label, "top_k": [p.label for p in classified.top_k]}

    try:
        stub(rpc.UploaderServiceStub, config["uploader"]).Upload(
            pb.UploadRequest(image=pb.Image(data=b"not an image")), timeout=TIMEOUT_S
        )
        out["garbage"] = None
    except grpc.RpcError as error:
        trailers = dict(error.trailing_metadata() or ())
        out["garbage"] = {"code": error.code().name, "pipeline_code": trailers.get("pipeline-error-code")}

    orchestrator = stub(rpc.OrchestratorServiceStub, config["orchestrator"])
    result = orchestrator.Process(pb.ProcessRequest(image=photo, top_k=2), timeout=TIMEOUT_S)
    out["process"] = {
        "label": result.label,
        "processed_image": describe(result.processed_image),
        "timeline": [span.stage for span in result.timeline],
    }

    events = []
    for event in orchestrator.ProcessStream(pb.ProcessRequest(image=photo), timeout=TIMEOUT_S):
        kind = event.WhichOneof("event")
        events.append({"stage_done": event.stage_done.stage} if kind == "stage_done" else {"result": event.result.label})
    out["process_stream"] = events

    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()

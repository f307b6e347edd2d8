export { OtlpReceiver, SPAN_KIND, SPAN_STATUS, type ReceivedSpan } from './otlp-receiver';

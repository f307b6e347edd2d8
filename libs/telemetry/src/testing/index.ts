export { OtlpReceiver, SPAN_KIND, type ReceivedSpan } from './otlp-receiver';

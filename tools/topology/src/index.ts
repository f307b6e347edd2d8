export { isReady, readinessOf, waitUntilReady, type Readiness } from './readiness';
export { startService, type RunningService, type StartOptions } from './service-process';
export { LOCAL_HOSTS, planServices, type PlanOptions, type ServiceHosts, type ServicePlan } from './service-plan';
export { startServices, withServices, type ServicesRun, type StartedServices } from './with-services';
export { canCreateNamespaces, createTestNetwork, type LinkShape, type TestNetwork, type TestNetworkOptions } from './network-namespaces';
export { startCountingProxy, type ByteCounts, type CountingProxy, type CountingProxyOptions } from './counting-relay';
export { withDistributedServices, type DistributedRun, type DistributedServices } from './distributed-services';
export { countBackgroundRemovals } from './replica-requests';
export { REPOSITORY_PHOTO_DIRS, writeRepeatedPhotos } from './repeated-photos';

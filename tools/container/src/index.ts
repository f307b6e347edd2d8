export { composeResultsDir, runDistributedCompose, runLocalCompose, type ComposeRun, type ComposeTopology, type Protocol } from './compose-topologies';
export { statsTable, type ContainerStats } from './container-stats';
export { engineProblem, requireEngine } from './docker';

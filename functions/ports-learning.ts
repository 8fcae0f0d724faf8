// The ports of what the platform learns: trained propensity models and the population's engagement pattern.
import type { TrainedModel } from './domain/models';

export interface EngagementPattern {
  learnedAt: string;
  /** Profiles with engagement in the window, each weighing one. */
  profiles: number;
  /** Shares per hour of week (send-time.ts), summing to 1. */
  pattern: number[];
}

export interface LearnedStore {
  model(id: string): Promise<TrainedModel | undefined>;
  saveModel(model: TrainedModel): Promise<void>;
  pattern(): Promise<EngagementPattern | undefined>;
  savePattern(pattern: EngagementPattern): Promise<void>;
}

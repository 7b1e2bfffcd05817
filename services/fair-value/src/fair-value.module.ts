import { type DynamicModule, Module } from '@nestjs/common';
import { AVRO_SCHEMAS, BOOK_SNAPSHOT_TYPE, Topics } from '@fleet/contracts';
import { type Subscription } from '@fleet/kafka';
import { type ServiceKit } from '@fleet/service';
import { FAIR_VALUE_CONFIG, FLEET_METRICS, FV_STATE_TOPIC } from './fair-value.constants';
import { type FairValueServiceConfig } from './fair-value.config';
import { FairValueController } from './fair-value.controller';
import { FairValueEngine } from './fair-value.engine';

/** The input topics of fair-value with their reader schemas. */
export const FAIR_VALUE_SUBSCRIPTIONS: readonly Subscription[] = [{ spec: Topics.mdBook, schema: AVRO_SCHEMAS[BOOK_SNAPSHOT_TYPE] }];

/** The fair-value application: one controller, one engine. */
@Module({})
export class FairValueModule {
  /** Returns the module for `config`, wired to the kit's metrics and topics. */
  static forRoot(config: FairValueServiceConfig, kit: ServiceKit): DynamicModule {
    return {
      module: FairValueModule,
      controllers: [FairValueController],
      providers: [
        { provide: FAIR_VALUE_CONFIG, useValue: config },
        { provide: FLEET_METRICS, useValue: kit.metrics },
        { provide: FV_STATE_TOPIC, useValue: kit.topic(Topics.fvState) },
        FairValueEngine,
      ],
    };
  }
}

{{/*
The generated per-service topology (files/topology.yaml, from tools/src/deploy/generate-k8s.ts).
*/}}
{{- define "fleet.topology" -}}
{{- .Files.Get "files/topology.yaml" -}}
{{- end -}}

{{/*
The effective values of one service: .Values.defaults overridden by .Values.services.<name>.
Call with (dict "root" $ "name" $name); returns YAML, use with fromYaml.
*/}}
{{- define "fleet.serviceValues" -}}
{{- $defaults := deepCopy .root.Values.defaults -}}
{{- $own := deepCopy (default dict (index .root.Values.services .name)) -}}
{{- toYaml (mergeOverwrite $defaults $own) -}}
{{- end -}}

{{/* Labels every resource of a service carries. (dict "root" $ "name" $name) */}}
{{- define "fleet.labels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/part-of: fleet
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/version: {{ .root.Values.image.tag | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
fleet.io/environment: {{ .root.Values.environment }}
{{- end -}}

{{/* Selector labels of a service's pods. (dict "root" $ "name" $name) */}}
{{- define "fleet.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/part-of: fleet
{{- end -}}

{{/* Labels of chart-wide resources. */}}
{{- define "fleet.commonLabels" -}}
app.kubernetes.io/part-of: fleet
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
fleet.io/environment: {{ .Values.environment }}
{{- end -}}

{{/*
The HPA ceiling of a service: the partition ceiling from the topology, or the service's
autoscaling.maxReplicas when set and not above it. Fails the render when asked for more pods
than partitions. (dict "name" $name "ceiling" $ceiling "autoscaling" $as)
*/}}
{{- define "fleet.maxReplicas" -}}
{{- $ceiling := int .ceiling -}}
{{- $max := int (default 0 .autoscaling.maxReplicas) -}}
{{- if eq $ceiling 0 -}}
{{- fail (printf "services.%s.autoscaling.enabled: %s does not scale by partitions" .name .name) -}}
{{- end -}}
{{- if gt $max $ceiling -}}
{{- fail (printf "services.%s.autoscaling.maxReplicas %d exceeds the partition ceiling %d of its input topics: pods beyond it would sit idle" .name $max $ceiling) -}}
{{- end -}}
{{- if eq $max 0 }}{{ $ceiling }}{{ else }}{{ $max }}{{ end -}}
{{- end -}}

{{/*
The session settings every service must agree on (docs/services.md), as ConfigMap data. The
optional risk-profile overrides are left out when null or "" (the profile's value applies), and
FLEET_LIVE_VENUES when liveVenues is empty (the default venues apply).
Call with the root context.
*/}}
{{- define "fleet.sessionData" -}}
{{- $s := .Values.session -}}
FLEET_SCENARIO: {{ required "session.scenario is required" $s.scenario | quote }}
FLEET_SEED: {{ $s.seed | int64 | toString | quote }}
FLEET_DURATION_S: {{ required "session.durationSeconds is required" $s.durationSeconds | int64 | toString | quote }}
FLEET_TICK_MS: {{ required "session.tickMs is required" $s.tickMs | int64 | toString | quote }}
FLEET_VENUE_COUNT: {{ required "session.venueCount is required" $s.venueCount | int64 | toString | quote }}
FLEET_INSTRUMENTS: {{ join "," (required "session.instruments is required" $s.instruments) | quote }}
{{- range $key, $name := dict "hedgeBandBase" "FLEET_HEDGE_BAND_BASE" "exitEdgeMinUsd" "FLEET_EXIT_EDGE_MIN_USD" "exitVolBufferMult" "FLEET_EXIT_VOL_BUFFER_MULT" }}
{{- $val := index $s $key }}
{{- if not (or (kindIs "invalid" $val) (eq (toString $val) "")) }}
{{ $name }}: {{ $val | toString | quote }}
{{- end }}
{{- end }}
FLEET_LOCKSTEP_WINDOW: {{ required "session.lockstepWindow is required" $s.lockstepWindow | int64 | toString | quote }}
FLEET_MD_SOURCE: {{ required "session.mdSource is required" $s.mdSource | quote }}
{{- with $s.liveVenues }}
FLEET_LIVE_VENUES: {{ join "," . | quote }}
{{- end }}
{{- end -}}

{{/*
Fails the render when a service's values break a rule of the topology: more pods than a
single-replica service may run, more replicas than partitions, or a session setting or the
data-directory setting in the service's own env (they come from fleet-session and the volume).
(dict "name" $name "topology" $t "values" $v)
*/}}
{{- define "fleet.checkService" -}}
{{- $t := .topology -}}
{{- $v := .values -}}
{{- $ceiling := int $t.partitionCeiling -}}
{{- if $t.singleReplica -}}
{{- if $v.autoscaling.enabled -}}
{{- fail (printf "services.%s.autoscaling.enabled: %s runs as exactly one pod (%s); it cannot have an HPA" .name .name $t.singleReplica) -}}
{{- end -}}
{{- if gt (int $v.replicas) 1 -}}
{{- fail (printf "services.%s.replicas %d: %s runs as exactly one pod (%s)" .name (int $v.replicas) .name $t.singleReplica) -}}
{{- end -}}
{{- end -}}
{{- if and (not $v.autoscaling.enabled) (gt $ceiling 0) (gt (int $v.replicas) $ceiling) -}}
{{- fail (printf "services.%s.replicas %d exceeds the partition ceiling %d of its input topics: pods beyond it would sit idle" .name (int $v.replicas) $ceiling) -}}
{{- end -}}
{{- $session := list "FLEET_SCENARIO" "FLEET_SEED" "FLEET_DURATION_S" "FLEET_TICK_MS" "FLEET_VENUE_COUNT" "FLEET_INSTRUMENTS" "FLEET_HEDGE_BAND_BASE" "FLEET_EXIT_EDGE_MIN_USD" "FLEET_EXIT_VOL_BUFFER_MULT" "FLEET_LOCKSTEP_WINDOW" "FLEET_MD_SOURCE" "FLEET_LIVE_VENUES" -}}
{{- range $k, $_ := $v.env -}}
{{- if has $k $session -}}
{{- fail (printf "services.%s.env.%s is a session setting: set it under session, which every service reads from ConfigMap fleet-session" $.name $k) -}}
{{- end -}}
{{- if and $t.dataDirSetting (eq $k $t.dataDirSetting) -}}
{{- fail (printf "services.%s.env.%s is set by the chart to services.%s.persistence.mountPath" $.name $k $.name) -}}
{{- end -}}
{{- end -}}
{{- if $t.dataDirSetting -}}
{{- if not $v.persistence -}}
{{- fail (printf "services.%s.persistence (size, storageClass, mountPath) is required: %s keeps its files in %s on a persistent volume" .name .name $t.dataDirSetting) -}}
{{- end -}}
{{- if not (hasPrefix "/" (toString $v.persistence.mountPath)) -}}
{{- fail (printf "services.%s.persistence.mountPath must be an absolute path (it is %s), received %v" .name $t.dataDirSetting $v.persistence.mountPath) -}}
{{- end -}}
{{- end -}}
{{- end -}}

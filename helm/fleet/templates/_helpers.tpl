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
{{- fail (printf "services.%s.autoscaling.enabled: %s consumes no partitioned topic and cannot scale by partitions" .name .name) -}}
{{- end -}}
{{- if gt $max $ceiling -}}
{{- fail (printf "services.%s.autoscaling.maxReplicas %d exceeds the partition ceiling %d of its input topics: pods beyond it would sit idle" .name $max $ceiling) -}}
{{- end -}}
{{- if eq $max 0 }}{{ $ceiling }}{{ else }}{{ $max }}{{ end -}}
{{- end -}}

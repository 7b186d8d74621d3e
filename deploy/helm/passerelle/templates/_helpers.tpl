{{/* The release's name, cut to what Kubernetes accepts. */}}
{{- define "passerelle.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "passerelle.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "passerelle.labels" -}}
{{ include "passerelle.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* A ConfigMap key for a path of the configuration folder: partners/siao-75.yaml -> partners__siao-75.yaml */}}
{{- define "passerelle.configKey" -}}
{{- replace "/" "__" . -}}
{{- end -}}

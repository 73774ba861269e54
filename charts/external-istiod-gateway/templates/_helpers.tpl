{{- define "eig.labels" -}}
{{- range $k, $v := .Values.commonLabels }}
{{ $k }}: {{ $v | quote }}
{{- end }}
app.kubernetes.io/part-of: istio
{{- end -}}
{{- define "eig.istiod" -}}istiod.{{ .Release.Namespace }}.svc.cluster.local{{- end -}}
